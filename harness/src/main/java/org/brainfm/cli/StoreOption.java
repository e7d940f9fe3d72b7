package org.brainfm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --store DIR} option of commands that keep or read submitted entries (a picocli mixin). */
public final class StoreOption {
    @Option(names = "--store", defaultValue = ".brainfm/submissions", paramLabel = "DIR",
            description = "Where entries are kept, one folder per SHA-256 (default: ${DEFAULT-VALUE}).")
    Path store;

    public Path folder() {
        return store;
    }
}
