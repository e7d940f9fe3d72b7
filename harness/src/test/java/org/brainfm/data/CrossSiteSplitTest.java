package org.brainfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.brainfm.BrainfmException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks that finetune on one dataset and test on another, and inputs with stand-ins, on real files. */
class CrossSiteSplitTest {
    static final String YAML = """
            datasets:
              - name: site-a
                kind: synthetic
                path: a
                contrasts: [t1, t2, flair, dwi]
                generator: {seed: 7, subjects: 8, size: 32, meningioma-share: 0, infarct-share: 0.5}
              - name: site-b
                kind: synthetic
                path: b
                contrasts: [t1, t2, flair, dwi]
                generator: {seed: 8, subjects: 5, size: 32, meningioma-share: 0, infarct-share: 0.5, site: {noise: 2, voxel-mm: [6, 6, 12]}}
              - name: scans
                kind: fomo
                path: scans
                contrasts: [flair, swi, t2s]
            tasks:
              - {name: infarct, type: classification, dataset: site-a, test-dataset: site-b, inputs: [flair, dwi], label: label.txt, finetune: 6, test: 4, metrics: [auroc]}
              - {name: bleeds, type: regression, dataset: scans, inputs: [flair, swi], alternatives: {swi: [t2s]}, label: age.txt, finetune: 2, test: 2, metrics: [mae]}
            """;

    @TempDir
    static Path tmp;

    static Datasets datasets;

    @BeforeAll
    static void setUp() throws IOException {
        datasets = Datasets.load(Files.writeString(tmp.resolve("datasets.yaml"), YAML));
    }

    @Test
    void finetuningCasesComeFromOneDatasetAndTheSameTestCasesFromTheOther() {
        Path a = datasets.open("site-a").root();
        Path b = datasets.open("site-b").root();
        Set<List<String>> draws = new HashSet<>();
        for (long seed = 1; seed <= 6; seed++) {
            Split split = datasets.split("infarct", seed);
            assertThat(split.test()).extracting(Case::subject).containsExactly("sub_2", "sub_3", "sub_4", "sub_5");
            assertThat(split.test()).allSatisfy(c -> assertThat(c.inputs().values()).allMatch(p -> p.startsWith(b)))
                    .allSatisfy(c -> assertThat(c.label()).startsWith(b));
            // Every subject of the finetuning dataset may be drawn: there is no test set to keep out.
            assertThat(split.finetune()).hasSize(6).allSatisfy(c -> assertThat(c.inputs().values()).allMatch(p -> p.startsWith(a)));
            assertThat(split.finetune()).extracting(Case::target).contains(0.0, 1.0);
            draws.add(split.finetune().stream().map(Case::subject).toList());
        }
        assertThat(draws).as("seeds draw different finetuning cases").hasSizeGreaterThan(1);
        assertThat(draws.stream().flatMap(List::stream)).as("drawn from all 8 subjects").contains("sub_1", "sub_8");
    }

    @Test
    void aStandInFillsTheChannelOfAMissingInputAndACaseWithNeitherIsLeftOutOrFails() throws IOException {
        Path from = datasets.open("site-a").root();
        // sub_3 has neither swi nor t2s; sub_2 and sub_5 (a test case) have t2s only.
        String[][] files = {{"swi"}, {"t2s"}, {}, {"swi", "t2s"}, {"t2s"}, {"swi"}};
        for (int s = 1; s <= files.length; s++) {
            Path ses = Files.createDirectories(tmp.resolve("scans/sub_" + s + "/ses_1"));
            Path source = from.resolve("sub_" + s + "/ses_1");
            Files.copy(source.resolve("flair.nii.gz"), ses.resolve("flair.nii.gz"));
            for (String contrast : files[s - 1]) {
                Files.copy(source.resolve("t2.nii.gz"), ses.resolve(contrast + ".nii.gz"));
            }
            Files.copy(source.resolveSibling("age.txt"), ses.resolveSibling("age.txt"));
        }
        Path scans = tmp.resolve("scans");
        Set<String> drawn = new HashSet<>();
        for (long seed = 1; seed <= 8; seed++) {
            Split split = datasets.split("bleeds", seed);
            assertThat(split.test()).extracting(Case::subject).containsExactly("sub_5", "sub_6");
            assertThat(split.test().get(0).inputs()).containsExactly(
                    Map.entry("flair", scans.resolve("sub_5/ses_1/flair.nii.gz")),
                    Map.entry("swi", scans.resolve("sub_5/ses_1/t2s.nii.gz")));
            assertThat(split.test().get(1).inputs()).containsEntry("swi", scans.resolve("sub_6/ses_1/swi.nii.gz"));
            split.finetune().forEach(c -> drawn.add(c.subject()));
            for (Case c : split.finetune()) {
                String expected = c.subject().equals("sub_2") ? "t2s.nii.gz" : "swi.nii.gz";
                assertThat(c.inputs().get("swi")).isEqualTo(scans.resolve(c.subject() + "/ses_1/" + expected));
            }
        }
        assertThat(drawn).as("sub_3 lacks swi and t2s").containsExactlyInAnyOrder("sub_1", "sub_2", "sub_4");
        assertThatThrownBy(() -> datasets.cases("bleeds")).isInstanceOf(BrainfmException.class)
                .hasMessage(tmp.resolve("datasets.yaml") + ":18: tasks[1].inputs: sub_3/ses_1 has no swi image nor a stand-in (t2s) in "
                        + scans.resolve("sub_3/ses_1"));

        Files.delete(scans.resolve("sub_5/ses_1/t2s.nii.gz"));
        assertThatThrownBy(() -> datasets.split("bleeds", 1)).isInstanceOf(BrainfmException.class)
                .hasMessage(tmp.resolve("datasets.yaml") + ":18: tasks[1].inputs: sub_5/ses_1 has no swi image nor a stand-in (t2s) in "
                        + scans.resolve("sub_5/ses_1"));
        Files.delete(scans.resolve("sub_1/ses_1/swi.nii.gz"));
        Files.delete(scans.resolve("sub_2/ses_1/t2s.nii.gz"));
        assertThatThrownBy(() -> datasets.split("bleeds", 1)).isInstanceOf(BrainfmException.class)
                .hasMessage(tmp.resolve("datasets.yaml") + ":18: tasks[1].finetune: 2 cases, but dataset scans has 1 outside the test set"
                        + " with every input or a stand-in (3 lack one)");
    }
}
