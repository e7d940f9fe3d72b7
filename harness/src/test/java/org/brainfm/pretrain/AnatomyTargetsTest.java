package org.brainfm.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.DebianPython;
import org.brainfm.data.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anatomy targets against nibabel + numpy: tissue volumes over the intracranial volume of
 * each subject's first session, standardised over the subjects, and lesion presence.
 */
class AnatomyTargetsTest {
    private static final String SCRIPT = """
            import sys, nibabel, numpy as np
            rows = []
            for path in sys.argv[1:]:
                codes = np.rint(np.asarray(nibabel.load(path).dataobj)).astype(int)
                counts = np.bincount(codes.ravel(), minlength=10)
                icv = counts[[1, 2, 3, 4, 5, 8, 9]].sum()
                rows.append((counts[[1, 2, 3, 4, 5]] / icv, int(counts[8] + counts[9] > 0)))
            f = np.array([r[0] for r in rows])
            z = (f - f.mean(axis=0)) / f.std(axis=0)
            for zs, (raw, lesion) in zip(z, rows):
                print(' '.join(f'{v:.9f}' for v in zs), lesion, ' '.join(f'{v:.9f}' for v in raw))
            """;

    @TempDir
    Path tmp;

    @Test
    void matchTissueFractionsComputedByNibabel() throws IOException {
        Corpus corpus = TinyCorpus.open(tmp);
        List<Session> firsts = corpus.subjects().stream()
                .map(id -> corpus.sessions().stream().filter(s -> s.subject().equals(id)).findFirst().orElseThrow())
                .toList();
        List<String> command = new ArrayList<>(List.of("-c", SCRIPT));
        firsts.forEach(s -> command.add(s.findLabel(AnatomyTargets.TISSUE).orElseThrow().toString()));
        String output = DebianPython.run(tmp, 60, command);
        List<String> lines = output.lines().toList();
        assertThat(lines).hasSize(firsts.size());

        AnatomyTargets targets = AnatomyTargets.of(corpus);
        int lesions = 0;
        for (int i = 0; i < firsts.size(); i++) {
            String[] fields = lines.get(i).trim().split(" ");
            AnatomyTargets.Target t = targets.of(firsts.get(i).subject());
            assertThat(t.anatomy()).hasSize(AnatomyTargets.components());
            for (int k = 0; k < AnatomyTargets.components(); k++) {
                assertThat((double) t.anatomy()[k]).as("subject %s component %d", firsts.get(i).subject(), k)
                        .isCloseTo(Double.parseDouble(fields[k]), within(1e-4));
                // The raw fractions are proper shares of the intracranial volume.
                assertThat(Double.parseDouble(fields[6 + k])).isBetween(0.0, 1.0);
            }
            assertThat(t.pathological()).isEqualTo(Float.parseFloat(fields[5]));
            lesions += (int) t.pathological();
        }
        // The tiny phantom has both healthy and pathological subjects, so the check covers both.
        assertThat(lesions).isBetween(1, firsts.size() - 1);
    }
}
