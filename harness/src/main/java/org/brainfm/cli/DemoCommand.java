package org.brainfm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brainfm.BrainfmException;
import org.brainfm.data.Datasets;
import org.brainfm.data.TaskSpec;
import org.brainfm.metrics.TaskType;
import org.brainfm.recipe.FinetuningRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brainfm demo}: the whole comparison at CPU scale, as the brainfm commands a user
 * would type, each printed before it runs: pretrain a mini compact U-Net (cross-contrast
 * swap) and a mini ViT-B/16 (masked reconstruction) on the synthetic corpus, finetune each on
 * the three synthetic FOMO25-style tasks, submit each finetuned model as an entry and score
 * them through ONNX Runtime into the records, as every team's entry is, write the study
 * ({@code brainfm report}) and serve the board.
 */
@Command(
        name = "demo",
        header = "Runs the CNN-vs-transformer comparison at CPU scale and serves the board.",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the CNN-vs-transformer comparison at CPU scale on the synthetic data (made on",
            "first use): pretrains a mini compact U-Net (cross-contrast swap) and a mini ViT-B/16",
            "(masked reconstruction), finetunes each on the three synthetic tasks (infarct",
            "classification, meningioma segmentation, brain age), submits each finetuned model as a",
            "baseline entry and scores it as every team's entry is scored (brainfm submit --baseline,",
            "brainfm score --pending), writes the study into .brainfm/report (brainfm report; its path is",
            "printed), then serves the board at http://localhost:PORT (Ctrl-C stops it).",
            "Each step is printed as the brainfm command that does it, so it can be rerun alone.",
            "To stay within minutes it finetunes one seed per task (--seed), where brainfm finetune",
            "alone runs every seed of the task; the board then shows n = 1 seed.",
            "The multi-class segmentation tasks (datasets.yaml's anatomy, SSL3D-style) are left out",
            "unless --with-multi-class: they add about three minutes on two cores.",
        },
        footer = {"", "Example:", "  brainfm demo", "  brainfm demo --pretrain-epochs 2 --finetune-epochs 2 --no-serve"})
public final class DemoCommand implements Callable<Integer> {
    /** The two baselines of the comparison: card and the objective it is pretrained with. */
    private static final String[][] BASELINES = {
        {"baselines/compact-unet.yaml", "cross-contrast-swap"},
        {"baselines/vit-b16.yaml", "mae"},
    };

    /** Where the demo writes {@code brainfm report}, beside its records. */
    static final String REPORT = ".brainfm/report";

    /** How {@code brainfm finetune} names its run on stdout. */
    private static final Pattern FINETUNE_RUN = Pattern.compile("finetune run (\\d+)");

    @Option(names = "--pretrain-epochs", defaultValue = "3", paramLabel = "N", description = "Pretraining epochs per model (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs;

    /** Epochs of the segmentation finetunes: half the mini recipe's, to stay within minutes. */
    static final int DEMO_EPOCHS = 2;

    @Option(names = "--finetune-epochs", paramLabel = "N", description = "Finetuning epochs per model and task (default: "
            + DEMO_EPOCHS + " for segmentation; classification and regression keep the mini recipe's "
            + FinetuningRecipe.MINI_IMAGE_EPOCHS + " epochs on " + FinetuningRecipe.MINI_IMAGE_PATCH
            + "^3 patches of the whole head, which infarct and brain age need: docs/protocol.md).")
    Integer finetuneEpochs;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of every step, the one finetuning seed of each task included (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT", description = "Port of the board (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--no-serve", description = "Stop after scoring instead of serving the board.")
    boolean noServe;

    @Option(names = "--with-multi-class", description = "Also finetune the multi-class segmentation tasks (anatomy).")
    boolean withMultiClass;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (pretrainEpochs < 1 || (finetuneEpochs != null && finetuneEpochs < 1)) {
            throw new BrainfmException(pretrainEpochs < 1 ? "--pretrain-epochs" : "--finetune-epochs", "must be at least 1");
        }
        List<TaskSpec> tasks = tasks();
        PrintWriter log = spec.commandLine().getErr();
        log.println("demo: finetunes seed " + seed + " only on each task, to stay within minutes (brainfm finetune"
                + " without --seed runs every seed of the task); the board shows each entry with n = 1 seed");
        log.flush();
        for (String[] baseline : BASELINES) {
            String run = brainfm("pretrain", "--card", baseline[0], "--objective", baseline[1], "--preset", "mini",
                    "--epochs", String.valueOf(pretrainEpochs), "--seed", String.valueOf(seed)).strip();
            for (TaskSpec task : tasks) {
                List<String> finetune = new ArrayList<>(List.of("finetune", "--card", baseline[0], "--task", task.name(), "--init", run,
                        "--preset", "mini", "--seed", String.valueOf(seed)));
                if (finetuneEpochs != null || task.type() == TaskType.SEGMENTATION) {
                    finetune.addAll(List.of("--epochs", String.valueOf(finetuneEpochs != null ? finetuneEpochs : DEMO_EPOCHS)));
                }
                String finetuned = brainfm(finetune.toArray(String[]::new));
                Matcher id = FINETUNE_RUN.matcher(finetuned);
                if (!id.find()) {
                    throw new BrainfmException("demo", "finetune printed no run id: " + finetuned.strip());
                }
                // Our baselines go through the teams' door: exported to ONNX, submitted, scored.
                brainfm("submit", "--baseline", id.group(1));
            }
        }
        brainfm("score", "--pending");
        PrintWriter out = spec.commandLine().getOut();
        out.print(brainfm("runs"));
        // the study as the seed paper reported it, from these records; the same numbers as /compare
        out.println("report: " + brainfm("report", "--out", REPORT).strip());
        out.println();
        out.print(headline(Path.of(REPORT, "report.md")));
        out.flush();
        if (noServe) {
            return 0;
        }
        brainfm("serve", "--port", String.valueOf(port));
        return 0;
    }

    /** The report's headline and what contradicts it: its Markdown up to the first task's section. */
    static String headline(Path reportMd) {
        String md;
        try {
            md = java.nio.file.Files.readString(reportMd);
        } catch (java.io.IOException e) {
            throw new BrainfmException(reportMd.toString(), "cannot be read: " + e.getMessage(), e);
        }
        int from = md.indexOf("## Headline");
        int to = md.indexOf("\n## Task ", Math.max(from, 0));
        return from < 0 ? "" : md.substring(from, to < 0 ? md.length() : to + 1);
    }

    /** The tasks of datasets.yaml, in its order; multi-class segmentations only when asked (measured: they cost minutes). */
    private List<TaskSpec> tasks() {
        return Datasets.load(Path.of("datasets.yaml")).tasks().stream()
                .filter(t -> withMultiClass || t.labelClasses().isEmpty())
                .toList();
    }

    /** Runs one brainfm command in this process, printed first; returns what it wrote on stdout. */
    private String brainfm(String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        if (db.url != null) {
            line.add("--db");
            line.add(db.url);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("$ brainfm " + String.join(" ", line));
        err.flush();
        StringWriter captured = new StringWriter();
        PrintWriter out = args[0].equals("serve") ? spec.commandLine().getOut() : new PrintWriter(captured, true);
        int code = Main.run(line.toArray(String[]::new), out, err);
        if (code != 0) {
            throw new BrainfmException("demo", "step 'brainfm " + String.join(" ", args) + "' failed (exit " + code + ")");
        }
        return captured.toString();
    }
}
