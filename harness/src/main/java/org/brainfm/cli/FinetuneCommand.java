package org.brainfm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.finetune.Finetuning;
import org.brainfm.finetune.PretrainedWeights;
import org.brainfm.loss.SegmentationLoss;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.plan.TaskPlan;
import org.brainfm.recipe.FinetuningRecipe;
import org.brainfm.recipe.Protocol;
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
    @Mixin
    CardOption card;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "A task of the datasets file.")
    String task;

    @Option(names = "--init", defaultValue = "scratch", paramLabel = "RUN|scratch",
            description = "Start from pretraining run RUN's encoder, or from scratch (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--protocol", paramLabel = "fomo25|ssl3d",
            description = "Whose recipe: fomo25 (the card's own finetuning section) or ssl3d (one fixed recipe for every"
                    + " encoder); default: the task's, else fomo25 (docs/protocol.md).")
    String protocol;

    @Option(names = "--folds", paramLabel = "K", description = "Models trained on K folds of the finetuning cases (default: the card's, else 1).")
    Integer folds;

    @Option(names = "--preset", defaultValue = "mini", paramLabel = "full|mini", description = "The card's size preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per fold (default: the card's; "
            + FinetuningRecipe.MINI_EPOCHS + " at mini).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Steps per epoch (default: one pass over the training cases; "
            + FinetuningRecipe.MINI_ITERATIONS + " at mini).")
    Integer iterations;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: the card's; "
            + FinetuningRecipe.MINI_LR + " at mini).")
    Double lr;

    @Option(names = "--batch", paramLabel = "N", description = "Patches per step (default: the card's, else 2).")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the finetuning cases and the training (default: the task's first).")
    Long seed;

    @Option(names = "--segmentation-loss", defaultValue = "dice-ce", paramLabel = "dice-ce|tversky-ce",
            description = "Segmentation loss (default: ${DEFAULT-VALUE}; tversky-ce weighs misses 0.7, false alarms 0.3).")
    String segmentationLoss;

    @Option(names = "--label-smoothing", defaultValue = "" + FinetuningRecipe.DEFAULT_LABEL_SMOOTHING, paramLabel = "E", description = "Classification label smoothing (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--no-augment", description = "Train on the patches as sampled (default: flips, small rotations, gamma, bias field, noise).")
    boolean noAugment;

    @Option(names = "--overlap", defaultValue = "" + FinetuningRecipe.DEFAULT_OVERLAP, paramLabel = "F", description = "Sliding-window overlap at test time, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double overlap;

    @Option(names = "--spacing", paramLabel = "MM", split = ",", description = "Resample to this voxel size (x,y,z mm) first (default: keep the input's).")
    double[] spacing;

    @Mixin
    ResamplesOption resamples;

    @Mixin
    DatasetsOption datasets;

    @Mixin
    ModelsOption models;

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
        Path cardFile = card.file();
        ModelCard c = ModelCards.read(cardFile);
        c.preset(preset);
        TaskPlan plan = new TaskPlan(datasets.load(), task);
        if (lr != null) {
            Checks.positive("--lr", lr);
        }
        FinetuningRecipe recipe = FinetuningRecipe.builder(c, preset, plan.type())
                .optProtocol(protocol(plan))
                .setSeed(seed != null ? seed : plan.seeds().get(0))
                .optFolds(Checks.positive("--folds", folds))
                .optEpochs(Checks.positive("--epochs", epochs))
                .optIterations(Checks.positive("--iterations", iterations))
                .optLearningRate(lr)
                .optBatch(Checks.positive("--batch", batch))
                .optSegmentationLoss(segmentationLoss())
                .optLabelSmoothing(Checks.fraction("--label-smoothing", labelSmoothing))
                .optOverlap(overlap(overlap))
                .optSpacing(spacing(spacing))
                .optResamples(resamples.count())
                .optAugment(noAugment ? Augment.none() : Augment.defaults())
                .build();
        try (Records records = db.open(err)) {
            PretrainedWeights start = init.equals("scratch") ? null
                    : PretrainedWeights.of(records, Checks.runId("--init", init), models.folder());
            Progress progress = new Progress(err, System.console() != null, 10);
            Finetuning.Outcome outcome = new Finetuning(c, cardFile, plan, recipe, device.resolve(), progress)
                    .run(records, start, models.folder());
            out.println("finetune run " + outcome.runId() + ": " + c.name() + " (" + preset + ", "
                    + (start == null ? "scratch" : "from run " + start.runId()) + ") on " + task + ", seed " + recipe.seed()
                    + ", " + recipe.folds() + (recipe.folds() == 1 ? " fold" : " folds") + "; model in " + outcome.modelDir());
            out.print(EvaluateCommand.table(outcome.results()));
        }
        out.flush();
        return 0;
    }

    /** --protocol, else the task's (datasets.yaml), else FOMO25's. */
    private Protocol protocol(TaskPlan plan) {
        String name = protocol != null ? protocol : plan.spec().protocol() != null ? plan.spec().protocol() : "fomo25";
        try {
            return Protocol.of(name);
        } catch (IllegalArgumentException e) {
            throw new BrainfmException("--protocol", "must be fomo25 or ssl3d, not '" + name + "'");
        }
    }

    private SegmentationLoss segmentationLoss() {
        return switch (segmentationLoss) {
            case "dice-ce" -> SegmentationLoss.DICE_CE;
            case "tversky-ce" -> SegmentationLoss.TVERSKY_CE;
            default -> throw new BrainfmException("--segmentation-loss", "must be dice-ce or tversky-ce, not '" + segmentationLoss + "'");
        };
    }

    static double overlap(double value) {
        if (!(value >= 0 && value < 1)) {
            throw new BrainfmException("--overlap", "must be in [0, 1), not " + value);
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
}
