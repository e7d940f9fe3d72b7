package org.brainfm.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.finetune.Finetuning;
import org.brainfm.finetune.PretrainedWeights;
import org.brainfm.finetune.Rescoring;
import org.brainfm.loss.SegmentationLoss;
import org.brainfm.metrics.Metric;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.plan.TaskPlan;
import org.brainfm.recipe.FinetuningRecipe;
import org.brainfm.recipe.Protocol;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.Records;
import org.brainfm.score.ResultSet;
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
            "pretraining run's encoder. One run per seed of the task (its seeds in datasets.yaml;",
            "--seed picks some): the seed draws the few-shot finetuning cases and starts the training;",
            "with --folds K one model per fold is trained and the K models are averaged on the test cases.",
            "Test cases are predicted by sliding windows (Gaussian blending; classification averages",
            "window log-probabilities, regression takes their median) through ONNX Runtime, put back",
            "on each input's grid, and scored; per-case and aggregate metrics with bootstrap 95 %% CIs",
            "are recorded with the run. Prints each run's id and aggregates, then each metric per",
            "seed with the mean and standard deviation over the seeds. --evaluate also scores each",
            "finetuned model onto the board, as brainfm evaluate does.",
            "--job HASH runs one seed as a job of brainfm grid: the hash goes into the run's",
            "configuration, each fold checkpoints under MODELS/jobs/HASH and goes on from a checkpoint",
            "found there, and SIGTERM (Slurm's warning before preemption or the time limit) stops",
            "training at the next step, checkpoints, records the run interrupted and exits with code "
                    + FinetuneCommand.STOPPED_EXIT + ";",
            "running the same command again resumes.",
        },
        footer = {"", "Example:", "  brainfm finetune --card compact-unet --task meningioma --epochs 5   # every seed of the task",
            "  brainfm finetune --card compact-unet --task infarct --init 3 --folds 3 --seed 2"})
public final class FinetuneCommand implements Callable<Integer> {
    /** Exit code of a job stopped by SIGTERM at a checkpoint: run it again (the Slurm array script requeues it). */
    public static final int STOPPED_EXIT = 3;

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
            + FinetuningRecipe.MINI_EPOCHS + " at mini, " + FinetuningRecipe.MINI_IMAGE_EPOCHS + " for classification and regression at mini).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Steps per epoch (default: one pass over the training cases; "
            + FinetuningRecipe.MINI_ITERATIONS + " at mini, " + FinetuningRecipe.MINI_CLASSIFICATION_ITERATIONS + " for classification and "
            + FinetuningRecipe.MINI_REGRESSION_ITERATIONS + " for regression at mini).")
    Integer iterations;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: the card's; "
            + FinetuningRecipe.MINI_LR + " at mini, " + FinetuningRecipe.MINI_IMAGE_LR + " for classification and regression at mini).")
    Double lr;

    @Option(names = "--batch", paramLabel = "N", description = "Patches per step (default: the card's, else 2).")
    Integer batch;

    @Option(names = "--seed", split = ",", paramLabel = "S[,S...]",
            description = "Run only these seeds of the finetuning cases and the training (default: every seed of the task).")
    List<Long> seeds;

    @Option(names = "--segmentation-loss", defaultValue = "dice-ce", paramLabel = "dice-ce|tversky-ce",
            description = "Segmentation loss (default: ${DEFAULT-VALUE}; tversky-ce weighs misses 0.7, false alarms 0.3).")
    String segmentationLoss;

    @Option(names = "--label-smoothing", defaultValue = "" + FinetuningRecipe.DEFAULT_LABEL_SMOOTHING, paramLabel = "E", description = "Classification label smoothing (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--no-augment", description = "Train on the patches as sampled (default: flips, small rotations, gamma, bias field, noise;"
            + " flips only for regression at mini).")
    boolean noAugment;

    @Option(names = "--overlap", defaultValue = "" + FinetuningRecipe.DEFAULT_OVERLAP, paramLabel = "F", description = "Sliding-window overlap at test time, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double overlap;

    @Option(names = "--spacing", paramLabel = "MM", split = ",", description = "Resample to this voxel size (x,y,z mm) first (default: keep the input's; "
            + FinetuningRecipe.MINI_IMAGE_SPACING_MM + " mm for classification and regression at mini).")
    double[] spacing;

    @Option(names = "--patch", paramLabel = "N", description = "Train and predict on cubic patches of N voxels (default: the"
            + " card preset's; " + FinetuningRecipe.MINI_IMAGE_PATCH + " for classification and regression at mini); N a multiple of the"
            + " network's stride product (its downsamplings, or its token patch).")
    Integer patch;

    @Option(names = "--evaluate", description = "Also score each finetuned model onto the board through ONNX Runtime (as brainfm evaluate).")
    boolean evaluate;

    @Option(names = "--job", paramLabel = "HASH", description = "Run as the grid job HASH (brainfm grid writes it): one seed,"
            + " checkpointed, resumable, stopped cleanly by SIGTERM.")
    String job;

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
        List<Long> runSeeds = seeds(plan);
        if (job != null && (runSeeds.size() != 1 || !job.matches("[0-9a-f]{8,64}"))) {
            throw new BrainfmException("--job", runSeeds.size() != 1 ? "runs one seed: give --seed S"
                    : "must be a hex configuration hash, not '" + job + "'");
        }
        Protocol chosen = protocol(plan);
        List<FinetuningRecipe> recipes = new ArrayList<>();
        for (long s : runSeeds) {
            recipes.add(recipe(c, plan, chosen, s));
        }
        List<ResultSet> results = new ArrayList<>();
        try (Records records = db.open(err)) {
            PretrainedWeights start = init.equals("scratch") ? null
                    : PretrainedWeights.of(records, Checks.runId("--init", init), models.folder());
            Progress progress = new Progress(err, System.console() != null, 10);
            for (FinetuningRecipe recipe : recipes) {
                Finetuning finetuning = new Finetuning(c, cardFile, plan, recipe, device.resolve(), progress);
                Finetuning.Outcome outcome;
                if (job == null) {
                    outcome = finetuning.run(records, start, models.folder());
                } else {
                    finetuning.asJob(job, models.folder().toAbsolutePath().resolve("jobs").resolve(job));
                    try (Stopping stopping = Stopping.onSigterm(finetuning::requestStop)) {
                        outcome = finetuning.run(records, start, models.folder());
                    } catch (Finetuning.Stopped e) {
                        err.println("brainfm: finetune: job " + job + " " + e.getMessage());
                        err.flush();
                        return STOPPED_EXIT;
                    }
                }
                out.println("finetune run " + outcome.runId() + ": " + c.name() + " (" + preset + ", "
                        + (start == null ? "scratch" : "from run " + start.runId()) + ") on " + task + ", seed " + recipe.seed()
                        + ", " + recipe.folds() + (recipe.folds() == 1 ? " fold" : " folds") + "; model in " + outcome.modelDir());
                out.print(EvaluateCommand.table(outcome.results()));
                out.flush();
                results.add(outcome.results());
                if (evaluate) {
                    Rescoring.Outcome scored = Rescoring.evaluate(records, outcome.runId(), plan, models.folder(),
                            Rescoring.Engine.ONNX, Device.cpu(), resamples.count());
                    out.println("score run " + scored.runId() + ": finetune run " + outcome.runId() + " on " + task
                            + " via ONNX Runtime, onto the board");
                    out.flush();
                }
            }
        }
        if (results.size() > 1) {
            out.println();
            out.print(seedTable(runSeeds, results));
        }
        out.flush();
        return 0;
    }

    private FinetuningRecipe recipe(ModelCard c, TaskPlan plan, Protocol chosen, long seed) {
        return FinetuningRecipe.builder(c, preset, plan.type())
                .optProtocol(chosen)
                .setSeed(seed)
                .optFolds(Checks.positive("--folds", folds))
                .optEpochs(Checks.positive("--epochs", epochs))
                .optIterations(Checks.positive("--iterations", iterations))
                .optLearningRate(lr)
                .optBatch(Checks.positive("--batch", batch))
                .optSegmentationLoss(segmentationLoss())
                .optLabelSmoothing(Checks.fraction("--label-smoothing", labelSmoothing))
                .optOverlap(overlap(overlap))
                .optSpacing(spacing(spacing))
                .optPatch(patch)
                .optResamples(resamples.count())
                .optAugment(noAugment ? Augment.none() : null)
                .build();
    }

    /** --seed's seeds in the order given, else every seed of the task. */
    private List<Long> seeds(TaskPlan plan) {
        if (seeds == null || seeds.isEmpty()) {
            return plan.seeds();
        }
        if (new LinkedHashSet<>(seeds).size() != seeds.size()) {
            throw new BrainfmException("--seed", "names a seed twice: " + seeds);
        }
        return List.copyOf(seeds);
    }

    /**
     * Each metric per seed with the mean and sample standard deviation over the seeds: the board's
     * point value and spread (its interval also resamples the cases, docs/metrics.md).
     */
    static String seedTable(List<Long> seeds, List<ResultSet> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-18s", "PER SEED"));
        for (long seed : seeds) {
            s.append(String.format(Locale.ROOT, " %10s", "seed " + seed));
        }
        s.append(String.format(Locale.ROOT, " %10s %10s %3s%n", "MEAN", "SD", "N"));
        for (AggregateScore first : results.get(0).aggregates()) {
            Metric m = Metric.ofStored(first.metric());
            s.append(String.format(Locale.ROOT, "%-18s", Metric.labelOf(first.metric()) + (m.unit().isEmpty() ? "" : " (" + m.unit() + ")")));
            List<Double> defined = new ArrayList<>();
            for (ResultSet r : results) {
                Double v = r.aggregate(first.metric()).score();
                s.append(String.format(Locale.ROOT, " %10s", v == null ? "undefined" : m.format(v)));
                if (v != null) {
                    defined.add(v);
                }
            }
            double mean = defined.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = defined.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            String sd = defined.size() < 2 ? "-" : m.format(Math.sqrt(ss / (defined.size() - 1)));
            s.append(String.format(Locale.ROOT, " %10s %10s %3d%n", defined.isEmpty() ? "undefined" : m.format(mean), sd,
                    defined.size()));
        }
        return s.toString();
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
