package org.brainfm.cli;

import java.nio.file.Path;
import org.brainfm.data.Datasets;
import picocli.CommandLine.Option;

/** The {@code --datasets} option every command that reads datasets.yaml shares (a picocli mixin). */
public final class DatasetsOption {
    @Option(names = "--datasets", defaultValue = "datasets.yaml", paramLabel = "FILE",
            description = "The datasets file (default: ${DEFAULT-VALUE}).")
    Path file;

    /** The datasets file, read and checked. */
    public Datasets load() {
        return Datasets.load(file);
    }
}
