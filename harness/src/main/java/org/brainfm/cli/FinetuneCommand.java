package org.brainfm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.data.Datasets;
import org.brainfm.model.ModelCard;
import org.brainfm.model.ModelCards;
import org.brainfm.protocol.FinetuneSettings;
import org.brainfm.protocol.Finetuning;
import org.brainfm.protocol.Preprocessing;
import org.brainfm.protocol.PretrainedWeights;
import org.brainfm.protocol.TaskProtocol;
import org.brainfm.records.Records;
import org.brainfm.train.Augment;
import org.brainfm.train.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm finetune}: finetunes a model card on a task and records its test scores. */
@Command(
        name = "finetune",
        header = "Finetunes a model card on a task and records its test scores.",
        mixinStandardHelpOptions = true,
        description = {
            "Finetunes a model card on a task of datasets.yaml with the card's finetuning recipe",
            "(AdamW, warmup then cosine): from scratch (the supervised reference rows) or from a",
            "pretraining run's encoder. The seed draws the few-shot finetuning cases; with --folds K",
            "one model per fold is trained and the K models are averaged on the test cases.",
            "Test cases are predicted by sliding windows (Gaussian blending; classification averages",
            "window log-probabilities, regression takes their median) through ONNX Runtime, put back",
            "on each input's grid, and scored; per-case and aggregate metrics with bootstrap 95 %% CIs",
            "are recorded with the run. Prints the run id and the aggregates.",
        },
        footer = {"", "Example:", "  brainfm finetune --card compact-unet --task meningioma --epochs 5",
            "  brainfm finetune --card compact-unet --task infarct --init 3 --folds 3 --seed 2"})
public final class FinetuneCommand implements Callable<Integer> {
    @Option(names = "--card", required = true, paramLabel = "NAME|FILE", description = "A model card: its name in --cards, or a YAML file.")
    String card;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "A task of the datasets file.")
    String task;

    @Option(names = "--init", defaultValue = "scratch", paramLabel = "RUN|scratch",
            description = "Start from pretraining run RUN's encoder, or from scratch (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--folds", paramLabel = "K", description = "Models trained on K folds of the finetuning cases (default: the card's, else 1).")
    Integer folds;

    @Option(names = "--preset", defaultValue = "mini", paramLabel = "full|mini", description = "The card's size preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per fold (default: the card's; "
            + FinetuneSettings.MINI_EPOCHS + " at mini).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Steps per epoch (default: one pass over the training cases; "
            + FinetuneSettings.MINI_ITERATIONS + " at mini).")
    Integer iterations;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: the card's; "
            + FinetuneSettings.MINI_LR + " at mini).")
    Double lr;

    @Option(names = "--batch", paramLabel = "N", description = "Patches per step (default: the card's, else 2).")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the finetuning cases and the training (default: the task's first).")
    Long seed;

    @Option(names = "--segmentation-loss", defaultValue = "dice-ce", paramLabel = "dice-ce|tversky-ce",
            description = "Segmentation loss (default: ${DEFAULT-VALUE}; tversky-ce weighs misses 0.7, false alarms 0.3).")
    String segmentationLoss;

    @Option(names = "--label-smoothing", defaultValue = "0.1", paramLabel = "E", description = "Classification label smoothing (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--no-augment", description = "Train on the patches as sampled (default: flips, small rotations, gamma, bias field, noise).")
    boolean noAugment;

    @Option(names = "--overlap", defaultValue = "0.5", paramLabel = "F", description = "Sliding-window overlap at test time, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double overlap;

    @Option(names = "--spacing", paramLabel = "MM", split = ",", description = "Resample to this voxel size (x,y,z mm) first (default: keep the input's).")
    double[] spacing;

    @Option(names = "--resamples", defaultValue = "1000", paramLabel = "N", description = "Bootstrap resamples of the CIs (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Mixin
    DatasetsOption datasets;

    @Option(names = "--cards", defaultValue = "baselines", paramLabel = "DIR", description = "Folder of model cards (default: ${DEFAULT-VALUE}).")
    Path cards;

    @Option(names = "--models", defaultValue = ".brainfm/models", paramLabel = "DIR",
            description = "Where models are saved, one run-<id> folder per run (default: ${DEFAULT-VALUE}).")
    Path models;

    @Mixin
    DeviceOption device;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path cardFile = ModelCardOption.file(card, cards);
        ModelCard c = ModelCards.read(cardFile);
        c.preset(preset);
        TaskProtocol protocol = new TaskProtocol(datasets.load(), task);
        ModelCard.Finetuning recipe = c.finetuning();
        int k = folds != null ? folds : recipe.folds() != null ? recipe.folds() : 1;
        // The mini networks get a few dozen steps: the full recipe's rate and epochs would not move them or take hours.
        boolean mini = preset.equals("mini");
        FinetuneSettings settings = new FinetuneSettings(preset, positive("--folds", k),
                epochs == null && mini ? FinetuneSettings.MINI_EPOCHS : nonNegative("--epochs", epochs),
                iterations == null && mini ? FinetuneSettings.MINI_ITERATIONS : nonNegative("--iterations", iterations),
                lr == null ? mini ? FinetuneSettings.MINI_LR : 0 : positive("--lr", lr), seed != null ? seed : protocol.seeds().get(0),
                positive("--batch", batch != null ? batch : recipe.batch() != null ? recipe.batch() : 2), segmentationLoss(),
                labelSmoothing("--label-smoothing", labelSmoothing), overlap(overlap), positive("--resamples", resamples),
                new Preprocessing(Preprocessing.DEFAULT_MARGIN, spacing(spacing)), noAugment ? Augment.none() : Augment.defaults());
        try (Records records = db.open(err)) {
            PretrainedWeights start = init.equals("scratch") ? null : PretrainedWeights.of(records, runId("--init", init), models);
            Progress progress = new Progress(err, System.console() != null, 10);
            Finetuning.Outcome outcome = new Finetuning(c, cardFile, protocol, settings, device.resolve(), progress).run(records, start, models);
            out.println("finetune run " + outcome.runId() + ": " + c.name() + " (" + preset + ", "
                    + (start == null ? "scratch" : "from run " + start.runId()) + ") on " + task + ", seed " + settings.seed()
                    + ", " + settings.folds() + (settings.folds() == 1 ? " fold" : " folds") + "; model in " + outcome.modelDir());
            out.print(EvaluateCommand.table(outcome.results()));
        }
        out.flush();
        return 0;
    }

    static long runId(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BrainfmException(option, "must be a run id (a number) or scratch, not '" + value + "'");
        }
    }

    private FinetuneSettings.SegmentationLoss segmentationLoss() {
        return switch (segmentationLoss) {
            case "dice-ce" -> FinetuneSettings.SegmentationLoss.DICE_CE;
            case "tversky-ce" -> FinetuneSettings.SegmentationLoss.TVERSKY_CE;
            default -> throw new BrainfmException("--segmentation-loss", "must be dice-ce or tversky-ce, not '" + segmentationLoss + "'");
        };
    }

    static double overlap(double value) {
        if (!(value >= 0 && value < 1)) {
            throw new BrainfmException("--overlap", "must be in [0, 1), not " + value);
        }
        return value;
    }

    private static double labelSmoothing(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new BrainfmException(option, "must be in [0, 1], not " + value);
        }
        return value;
    }

    private static double[] spacing(double[] mm) {
        if (mm == null) {
            return null;
        }
        if (mm.length != 3 || java.util.Arrays.stream(mm).anyMatch(s -> !(s > 0) || Double.isInfinite(s))) {
            throw new BrainfmException("--spacing", "must be three positive sizes in mm, like 1,1,1");
        }
        return mm;
    }

    static int positive(String option, int value) {
        if (value < 1) {
            throw new BrainfmException(option, "must be at least 1, not " + value);
        }
        return value;
    }

    private static double positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new BrainfmException(option, "must be a positive number, not " + value);
        }
        return value;
    }

    private static int nonNegative(String option, Integer value) {
        return value == null ? 0 : positive(option, value);
    }
}
