package org.brainfm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cards DIR} option: the folder of model cards (a picocli mixin). */
public final class CardsOption {
    @Option(names = "--cards", defaultValue = "baselines", paramLabel = "DIR", description = "Folder of model cards (default: ${DEFAULT-VALUE}).")
    Path folder;

    public Path folder() {
        return folder;
    }
}
