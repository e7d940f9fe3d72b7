package org.brainfm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.model.card.ModelCard;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.EntryKind;
import org.brainfm.submission.Templates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import org.brainfm.records.EvaluationSplit;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm template}: a ready-to-fill entry for a task. */
@Command(
        name = "template",
        header = "Writes a ready-to-fill entry for a task.",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a commented manifest.yaml and cases.csv (each test case's id, the file its",
            "prediction goes in, and its input images - never its labels) into a new folder, so that",
            "a team never guesses case ids or grids. --kind encoder also writes the card's encoder",
            "parameter names and shapes and an example weights file (safetensors). For a challenge",
            "phase, --split lists the cases that phase scores (sanity: 5 public finetuning cases).",
        },
        footer = {"", "Example:", "  brainfm template --task meningioma --out my-entry",
            "  brainfm template --task infarct --kind model --out my-model-entry",
            "  brainfm template --task brain-age --kind encoder --card compact-unet --out my-encoder",
            "  brainfm template --task meningioma --split sanity --out my-sanity-entry"})
public final class TemplateCommand implements Callable<Integer> {
    @Option(names = "--task", required = true, paramLabel = "TASK", description = "A task of the datasets file.")
    String task;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new (or empty) folder for the template.")
    Path out;

    @Option(names = "--kind", defaultValue = "predictions", paramLabel = "model|predictions|encoder",
            description = "The kind of entry (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--split", paramLabel = "sanity|validation|test",
            description = "List the cases a challenge phase of this split scores (default: every test case).")
    String split;

    @Option(names = "--card", paramLabel = "NAME", description = "Encoder entries: the card whose encoder the weights are for.")
    String card;

    @Option(names = "--preset", defaultValue = "mini", paramLabel = "full|mini", description = "Encoder entries: the card's preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Mixin
    CardsOption cards;

    @Mixin
    DatasetsOption datasets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EntryKind k;
        try {
            k = EntryKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BrainfmException("--kind", "must be model, predictions or encoder, not '" + kind + "'");
        }
        ModelCard c = null;
        if (k == EntryKind.ENCODER) {
            if (card == null) {
                throw new BrainfmException("--card", "an encoder entry needs the card whose encoder it is (e.g. --card compact-unet)");
            }
            CardOption option = new CardOption();
            option.card = card;
            option.cards = cards;
            c = option.read();
            c.preset(preset);
        }
        TaskPlan plan = new TaskPlan(datasets.load(), task);
        EvaluationSplit phaseSplit;
        try {
            phaseSplit = split == null ? null : EvaluationSplit.of(split);
        } catch (IllegalArgumentException e) {
            throw new BrainfmException("--split", e.getMessage());
        }
        List<Path> written = Templates.write(plan, k, c, preset, phaseSplit, out);
        PrintWriter o = spec.commandLine().getOut();
        o.println("template of a " + k.id() + " entry for " + task + " in " + out + ":");
        written.forEach(p -> o.println("  " + out.relativize(p)));
        o.println("fill in manifest.yaml, then: brainfm submit " + out);
        o.flush();
        return 0;
    }
}
