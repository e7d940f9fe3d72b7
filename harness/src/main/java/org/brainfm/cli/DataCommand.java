package org.brainfm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code brainfm data}: the datasets of datasets.yaml and the synthetic phantom. */
@Command(
        name = "data",
        header = "Lists, synthesises and previews the data sets of datasets.yaml.",
        mixinStandardHelpOptions = true,
        description = {
            "Datasets and tasks (datasets.yaml) and the synthetic brain phantom that stands in",
            "for FOMO60K: list checks datasets.yaml and shows what it declares, synth makes a",
            "phantom in the FOMO layout, preview draws slices of one as a PNG.",
        },
        footer = {
            "",
            "Example:",
            "  brainfm data list --open",
            "  brainfm data synth --out /tmp/phantom --subjects 8 --seed 1",
            "  brainfm data preview /tmp/phantom --out phantom.png",
        },
        subcommands = {
            DataListCommand.class,
            DataSynthCommand.class,
            DataPreviewCommand.class,
        })
public final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
