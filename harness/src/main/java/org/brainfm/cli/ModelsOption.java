package org.brainfm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --models DIR} option: where finetuned models live (a picocli mixin). */
public final class ModelsOption {
    @Option(names = "--models", defaultValue = ".brainfm/models", paramLabel = "DIR",
            description = "Where finetuned models are saved, one run-<id> folder per run (default: ${DEFAULT-VALUE}).")
    Path models;

    public Path folder() {
        return models;
    }
}
