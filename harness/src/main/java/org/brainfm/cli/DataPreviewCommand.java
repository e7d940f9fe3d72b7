package org.brainfm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.data.Preview;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brainfm data preview}: a PNG of slices of a phantom. */
@Command(
        name = "preview",
        header = "Draws mid slices of a phantom data set into a PNG.",
        mixinStandardHelpOptions = true,
        description = {
            "Draws a PNG contact sheet of a phantom folder: per subject a row, per column t1, t2,",
            "flair, dwi, the tissue map and the meningioma mask, each as an axial and a coronal",
            "slice through the lesion (or the centre). Without --subject it picks the youngest",
            "and oldest subject without lesions, one with a meningioma and one with infarcts.",
        },
        footer = {
            "",
            "Example:",
            "  brainfm data preview /tmp/phantom --out phantom.png",
            "  brainfm data preview /tmp/phantom --subject sub_3 --subject sub_7 --session ses_2 --out s.png",
        })
public final class DataPreviewCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A phantom folder (brainfm data synth --out DIR).")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "PNG", description = "The PNG file to write.")
    Path out;

    @Option(names = "--subject", paramLabel = "ID", description = "A subject to show (repeatable), e.g. sub_3.")
    List<String> subjects = new ArrayList<>();

    @Option(names = "--session", paramLabel = "ID", description = "The session to show (default: ${DEFAULT-VALUE}).")
    String session = "ses_1";

    @Option(names = "--scale", paramLabel = "K", description = "Pixels per voxel, 1 to 8 (default: ${DEFAULT-VALUE}).")
    int scale = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (scale < 1 || scale > 8) {
            throw new BrainfmException("--scale", scale + " is not between 1 and 8");
        }
        Preview.write(Preview.sheet(dir, subjects, session, scale), out);
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
