package org.brainfm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.data.PhantomSettings;
import org.brainfm.data.PhantomWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm data synth}: writes a synthetic phantom in the FOMO layout. */
@Command(
        name = "synth",
        header = "Writes a synthetic brain phantom data set in the FOMO layout.",
        mixinStandardHelpOptions = true,
        description = {
            "Makes a deterministic synthetic brain phantom in the FOMO layout:",
            "DIR/sub_N/ses_M/{t1,t2,flair,dwi}.nii.gz (int16), tissue.nii.gz (uint8 tissue map),",
            "seg.nii.gz (meningioma mask), DIR/sub_N/label.txt (1 with an infarct) and age.txt,",
            "DIR/participants.tsv and DIR/phantom.json. The same settings give the same bytes;",
            "subject N does not depend on --subjects. Voxels are 192 mm / SIZE (3 mm at 64).",
            "DIR must be absent, empty or an earlier phantom (which is replaced).",
        },
        footer = {
            "",
            "Example:",
            "  brainfm data synth --out /tmp/phantom --subjects 40 --size 64 --seed 7",
            "  brainfm data synth --out /tmp/longitudinal --subjects 8 --sessions 3 --meningioma-share 0",
        })
public final class DataSynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the phantom to.")
    Path out;

    @Option(names = "--subjects", paramLabel = "N", description = "Number of subjects (default: ${DEFAULT-VALUE}).")
    int subjects = PhantomSettings.DEFAULT_SUBJECTS;

    @Option(names = "--sessions", paramLabel = "M", description = "Sessions per subject (default: ${DEFAULT-VALUE}).")
    int sessions = 1;

    @Option(names = "--size", paramLabel = "SIZE", description = "Grid size, a multiple of 16 from 32 to 512 (default: ${DEFAULT-VALUE}).")
    int size = PhantomSettings.DEFAULT_SIZE;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--meningioma-share", paramLabel = "F", description = "Fraction of subjects with a meningioma (default: ${DEFAULT-VALUE}).")
    double meningiomaShare = PhantomSettings.DEFAULT_SHARE;

    @Option(names = "--infarct-share", paramLabel = "F", description = "Fraction of subjects with infarcts (default: ${DEFAULT-VALUE}).")
    double infarctShare = PhantomSettings.DEFAULT_SHARE;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PhantomSettings settings = new PhantomSettings(seed, subjects, sessions, size, meningiomaShare, infarctShare);
        for (Map.Entry<String, String> p : settings.problems().entrySet()) {
            throw new BrainfmException("--" + p.getKey(), p.getValue());
        }
        PhantomWriter.Timing t = PhantomWriter.write(settings, out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %d subjects x %d session%s (%d^3, %.2f mm) to %s in %.2f s; %.0f ms per subject on one thread (render and write)%n",
                t.subjects(), t.sessions(), t.sessions() == 1 ? "" : "s", size, settings.spacing(), out, t.wallSeconds(),
                t.threadMillisPerSubject());
        w.flush();
        return 0;
    }
}
