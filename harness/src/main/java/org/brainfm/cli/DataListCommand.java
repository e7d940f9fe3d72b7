package org.brainfm.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.data.Dataset;
import org.brainfm.data.DatasetKind;
import org.brainfm.data.DatasetSpec;
import org.brainfm.data.Datasets;
import org.brainfm.data.PhantomSettings;
import org.brainfm.data.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm data list}: checks datasets.yaml and shows its datasets and tasks. */
@Command(
        name = "list",
        header = "Checks datasets.yaml and lists its datasets and tasks.",
        mixinStandardHelpOptions = true,
        description = {
            "Reads and checks datasets.yaml (a mistake is reported with its line and field),",
            "then lists its datasets and tasks. With --open it also opens every dataset: makes",
            "synthetic ones that are not made yet, counts subjects and sessions, and reports",
            "folders that do not exist.",
        },
        footer = {
            "",
            "Example:",
            "  brainfm data list",
            "  brainfm data list --datasets my-datasets.yaml --open",
        })
public final class DataListCommand implements Callable<Integer> {
    @Mixin
    DatasetsOption source;

    @Option(names = "--open", description = "Open every dataset (make synthetic ones) and count its subjects and sessions.")
    boolean open;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Datasets datasets = source.load();
        PrintWriter out = spec.commandLine().getOut();
        out.println("datasets (" + source.file + "):");
        for (DatasetSpec d : datasets.datasets()) {
            String where = d.kind() == DatasetKind.SYNTHETIC ? generator(d.generator()) : d.path();
            out.printf(Locale.ROOT, "  %-22s %-9s %-30s %s%n", d.name(), d.kind().label(), String.join(",", d.contrasts()), where);
            if (open) {
                Dataset ds = datasets.open(d.name());
                out.printf(Locale.ROOT, "  %-22s %d subjects, %d sessions in %s%n", "", ds.subjects().size(), ds.sessions().size(), ds.root());
            }
        }
        out.println("pretraining: " + String.join(", ", datasets.pretraining()));
        out.println("tasks:");
        for (TaskSpec t : datasets.tasks()) {
            out.printf(Locale.ROOT, "  %-22s %-14s %-22s inputs %s, label %s%s, finetune %d, test %d, seeds %s, metrics %s%n",
                    t.name(), t.type().label(), t.dataset(), String.join(",", t.inputs()), t.label(),
                    t.labelClasses().isEmpty() ? "" : " (classes " + String.join(",", t.labelClasses()) + ")", t.finetune(), t.test(),
                    t.seeds() == null ? "[1]" : t.seeds().toString(), String.join(",", t.metrics()));
        }
        out.flush();
        return 0;
    }

    private static String generator(PhantomSettings g) {
        return String.format(Locale.ROOT, "phantom seed %d, %d subjects x %d session%s, %d^3, meningioma %.2f, infarct %.2f",
                g.seed(), g.subjects(), g.sessions(), g.sessions() == 1 ? "" : "s", g.size(), g.meningiomaShare(), g.infarctShare());
    }
}
