package org.brainfm.cli;

import org.brainfm.recipe.FinetuningRecipe;
import picocli.CommandLine.Option;

/** The {@code --resamples N} option of commands that score: bootstrap resamples of the CIs (a picocli mixin). */
public final class ResamplesOption {
    @Option(names = "--resamples", defaultValue = "" + FinetuningRecipe.DEFAULT_RESAMPLES, paramLabel = "N",
            description = "Bootstrap resamples of the 95 %% CIs (default: ${DEFAULT-VALUE}).")
    int resamples;

    /** The number of resamples, at least 1. */
    public int count() {
        return Checks.positive("--resamples", (Integer) resamples);
    }
}
