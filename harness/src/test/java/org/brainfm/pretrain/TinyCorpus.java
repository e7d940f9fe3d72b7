package org.brainfm.pretrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.brainfm.data.Datasets;

/** A tiny synthetic pretraining corpus (6 subjects x 2 sessions of 32^3, half with lesions) in a temp folder. */
public final class TinyCorpus {
    public static final String NAME = "tiny";
    public static final Path BASELINES = Path.of("..", "baselines");

    private TinyCorpus() {}

    /** Writes {@code dir/datasets.yaml} naming the tiny phantom (synthesised under {@code dir} on first use). */
    public static Path datasetsFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("datasets.yaml"), """
                datasets:
                  - name: tiny
                    kind: synthetic
                    path: data/tiny
                    contrasts: [t1, t2, flair, dwi]
                    generator: {seed: 3, subjects: 6, sessions: 2, size: 32, meningioma-share: 0.3, infarct-share: 0.3}
                pretraining: [tiny]
                """);
    }

    public static Corpus open(Path dir) throws IOException {
        return new Corpus(Datasets.load(datasetsFile(dir)).open(NAME).sessions());
    }
}
