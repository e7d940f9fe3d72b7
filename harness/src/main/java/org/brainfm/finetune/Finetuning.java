package org.brainfm.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.brainfm.compute.Hardware;
import org.brainfm.data.Case;
import org.brainfm.data.Split;
import org.brainfm.loss.Losses;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.TaskType;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.onnx.OnnxExport;
import org.brainfm.model.store.ModelStore;
import org.brainfm.model.store.Provenance;
import org.brainfm.plan.Prepared;
import org.brainfm.plan.Preprocessing;
import org.brainfm.plan.TaskPlan;
import org.brainfm.predict.CasePredictor;
import org.brainfm.predict.SlidingWindow;
import org.brainfm.recipe.FinetuningRecipe;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.EpochRow;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.score.Registry;
import org.brainfm.score.ResultSet;
import org.brainfm.score.Scorer;
import org.brainfm.tensor.Devices;
import org.brainfm.tensor.Tensors;
import org.brainfm.train.Augment;
import org.brainfm.train.BatchLoss;
import org.brainfm.train.Checkpoint;
import org.brainfm.train.Progress;
import org.brainfm.train.Seeds;
import org.brainfm.train.StepLoss;
import org.brainfm.train.TrainConfig;
import org.brainfm.train.Trainer;
import org.brainfm.volume.PatchSampler.Patch;
import org.brainfm.volume.PatchSampler;

/**
 * A finetuning run of a model card on a task, recorded from start to end: the seed's few-shot
 * finetuning cases are prepared, one model per fold is trained with the shared loop
 * ({@link Trainer}, the card's finetuning recipe) from scratch or from a pretraining run's
 * encoder, saved (DJL parameters and ONNX), and the fold models, averaged, predict the fixed
 * test cases through ONNX Runtime with sliding windows; per-case and aggregate metrics with
 * 95 % CIs go into the run's records in one transaction. A segmentation run keeps its test
 * predictions in the model folder ({@value #PREDICTIONS}/), on each case's input grid.
 */
public final class Finetuning {
    /** The key of a grid job's configuration hash in a run's configuration. */
    public static final String GRID_JOB = "grid_job";
    private final ModelCard card;
    private final Path cardFile;
    private final TaskPlan task;
    private final FinetuningRecipe recipe;
    private final Device device;
    private final Progress progress;
    /** The folder of a run's model folder that holds its test segmentations, on each case's input grid. */
    public static final String PREDICTIONS = "predictions";
    /** The last trained fold's parameter count, recorded with the run. */
    private long parameters;
    /** A grid job's configuration hash, recorded with the run; null outside a grid. */
    private String job;
    /** Where each fold checkpoints and resumes from (fold-K below it); null: no checkpoints. */
    private Path checkpoints;
    private volatile boolean stopRequested;
    private volatile Trainer activeTrainer;

    /** What a finished run left: its id, its model folder and its test results. */
    public record Outcome(long runId, Path modelDir, ResultSet results) {}

    /**
     * Training stopped on {@link #requestStop} at a checkpoint; the run is recorded interrupted with
     * this message, and the same job run again resumes from the checkpoint.
     */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(String message) {
            super(message);
        }
    }

    public Finetuning(ModelCard card, Path cardFile, TaskPlan task, FinetuningRecipe recipe, Device device, Progress progress) {
        this.card = card;
        this.cardFile = cardFile;
        this.task = task;
        this.recipe = recipe;
        this.device = device;
        this.progress = progress;
    }

    /**
     * A grid job: records {@code hash} in the run's configuration (the grid finds its runs by it) and
     * checkpoints each fold under {@code dir}, going on from the checkpoints a stopped run of the
     * same job left there.
     */
    public Finetuning asJob(String hash, Path dir) {
        this.job = hash;
        this.checkpoints = dir;
        return this;
    }

    /**
     * Asks training to stop at the next step boundary (from a signal handler: a preempted or timed-out
     * job); with {@link #asJob} the step reached is checkpointed and {@link #run} throws {@link Stopped}.
     */
    public void requestStop() {
        stopRequested = true;
        Trainer t = activeTrainer;
        if (t != null) {
            t.requestStop();
        }
    }

    /** Runs it; {@code init} null trains from scratch (the supervised reference rows). */
    public Outcome run(Records records, EncoderStart init, Path modelsRoot) {
        Split split = task.split(recipe.seed());
        List<List<Case>> folds = TaskPlan.folds(split.finetune(), recipe.folds(), task.type() == TaskType.CLASSIFICATION);
        Registry.register(records, task.datasets(), task.spec(), card);
        ObjectNode config = config(split, init);
        Path root = modelsRoot.toAbsolutePath();
        config.put(PretrainedWeights.MODELS, root.toString());
        NewRun spec = NewRun.finetune(card.name(), task.name(), init == null ? null : init.runId())
                .withSeed(recipe.seed()).withObjective(init == null ? "scratch" : init.runId() != null ? card.pretraining().objective() : init.describe())
                .withConfig(config);
        ActiveRun run = records.runs().start(spec, Hardware.forRun(device.isGpu()));
        Path modelDir = root.resolve("run-" + run.id());
        try {
            ResultSet results = train(run, records, folds, split, init, modelDir);
            run.writeResults(task.name(), results.cases(), results.aggregates());
            run.finish(parameters);
            return new Outcome(run.id(), modelDir, results);
        } catch (Stopped e) {
            run.interrupt(e.getMessage());
            throw e;
        } catch (RuntimeException | Error e) {
            run.fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), null);
            throw e;
        }
    }

    /** A prepared finetuning case with its target (class, years; unused for segmentation). */
    private record Example(Prepared prepared, double target) {}

    private ResultSet train(ActiveRun run, Records records, List<List<Case>> folds, Split split, EncoderStart init, Path modelDir) {
        boolean segmentation = task.type() == TaskType.SEGMENTATION;
        Preprocessing prep = new Preprocessing(recipe.margin(), recipe.spacing());
        List<List<Example>> examples = new ArrayList<>();
        for (List<Case> fold : folds) {
            examples.add(fold.stream().map(c -> new Example(prep.load(c, segmentation), c.target())).toList());
        }
        double mean = 0;
        double scale = 1;
        if (task.type() == TaskType.REGRESSION) {
            double[] targets = split.finetune().stream().mapToDouble(Case::target).toArray();
            mean = Arrays.stream(targets).average().orElse(0);
            double m = mean;
            double sd = Math.sqrt(Arrays.stream(targets).map(t -> (t - m) * (t - m)).average().orElse(0));
            scale = sd > 0 ? sd : 1;
        }
        int[] patch = recipe.patch();
        FinetunedModel saved = new FinetunedModel(card.name(), cardFile.toAbsolutePath().toString(), recipe.preset(), task.name(),
                task.type(), task.inputs(), task.head().outputs(), patch, folds.size(), recipe.seed(),
                init == null ? null : init.runId(), mean, scale, prep.margin(), prep.spacing(), recipe.overlap(),
                recipe.protocol().label());
        String commit = records.runs().get(run.id()).map(r -> r.gitCommit()).orElse("unknown");
        List<Path> onnx = new ArrayList<>();
        for (int f = 0; f < folds.size(); f++) {
            List<Example> training = TaskPlan.trainingCases(examples, f);
            List<Example> validation = folds.size() > 1 ? examples.get(f) : List.of();
            onnx.add(trainFold(run, f, training, validation, init, mean, scale, commit, modelDir));
        }
        saved.write(modelDir);
        CasePredictor predictor = new CasePredictor(task.type(), prep, SlidingWindow.withOverlap(recipe.overlap()), mean, scale);
        long testStart = System.nanoTime();
        ResultSet results = Rescoring.scoreWithOnnx(onnx, saved, predictor, task, split.test(),
                new Scorer(recipe.resamples(), Bootstrap.DEFAULT_SEED).keepingPredictionsIn(modelDir.resolve(PREDICTIONS)));
        // a later score run of this model scores the same cases: its lineage counts that inference once
        run.meter().addTestInference((System.nanoTime() - testStart) / 1e9);
        return results;
    }

    /** Trains one fold's model, logs its curve, saves it (parameters and ONNX); returns the ONNX file. */
    private Path trainFold(ActiveRun run, int fold, List<Example> training, List<Example> validation, EncoderStart init,
            double mean, double scale, String commit, Path modelDir) {
        int[] patch = recipe.patch();
        int channels = task.inputs().size();
        int batch = recipe.batch();
        Shape input = new Shape(batch, channels, patch[2], patch[1], patch[0]);
        TrainConfig config = recipe.training(training.size(), fold);
        float[] weights = task.type() == TaskType.CLASSIFICATION
                ? Losses.balancedWeights(training.stream().mapToDouble(Example::target).toArray(), 2) : null;
        double foreground = task.type() == TaskType.SEGMENTATION ? FinetuningRecipe.FOREGROUND_SHARE : 0;
        List<TrainingPatches> samplers = training.stream()
                .map(e -> new TrainingPatches(e.prepared().image(), e.prepared().label(), patch, foreground)).toList();
        Path foldDir = FinetunedModel.foldDir(modelDir, fold);
        try (NDManager manager = Devices.manager(device)) {
            Seeds.seedEngine(config.seed());
            Network network = Models.build(card, recipe.preset(), task.head(), channels);
            network.initialize(manager, DataType.FLOAT32, input);
            if (init != null) {
                init.copyEncoderInto(network, card, recipe.preset(), manager);
            }
            StepLoss loss = step -> {
                SplittableRandom random = step.random();
                Batch b = new Batch(batch, channels, patch, task.type());
                for (int n = 0; n < batch; n++) {
                    int i = random.nextInt(samplers.size());
                    Patch p = samplers.get(i).sample(random);
                    Augment.Sample a = recipe.augment().apply(p.image(), p.label(), channels, patch, random);
                    b.put(n, a.image(), a.label(), target(training.get(i), mean, scale));
                }
                NDArray out = network.apply(step.pass(), Tensors.copyOf(step.manager(), b.images, input));
                return BatchLoss.of(loss(out, b.targets, step.manager(), weights, patch), (long) batch * b.voxels);
            };
            long epochOffset = (long) fold * config.epochs();
            long stepOffset = fold * config.totalSteps();
            Path foldCheckpoints = checkpoints == null ? null : checkpoints.resolve("fold-" + (fold + 1));
            boolean resume = foldCheckpoints != null && Checkpoint.exists(foldCheckpoints);
            Trainer trainer = new Trainer(config, List.of(network), loss, manager).progress(progress).onEpoch(e -> {
                Double validationLoss = validation.isEmpty() ? null
                        : validationLoss(network, manager, validation, weights, patch, mean, scale);
                run.logEpoch(new EpochRow((int) (epochOffset + e.epoch()), stepOffset + e.step(), e.loss(), e.learningRate(),
                        validationLoss));
            });
            if (foldCheckpoints != null) {
                trainer.checkpoints(foldCheckpoints, job + " fold " + (fold + 1));
            }
            // the volatile pair (activeTrainer, stopRequested) set and read in opposite orders: a stop asked at any time is seen
            activeTrainer = trainer;
            if (stopRequested) {
                trainer.requestStop();
            }
            Trainer.Result result;
            try {
                result = trainer.fit(resume);
            } finally {
                activeTrainer = null;
            }
            run.meter().addBusy(result.stepSeconds());
            if (resume) {
                progress.note("fold " + (fold + 1) + ": resumed from its checkpoint in " + foldCheckpoints + " at epoch "
                        + result.firstEpoch());
            }
            if (!result.complete()) {
                throw new Stopped("stopped on request (a preempted or timed-out job) in fold " + (fold + 1) + ", epoch "
                        + (result.epochs().isEmpty() ? result.firstEpoch() : result.epochs().get(result.epochs().size() - 1).epoch() + 1)
                        + (foldCheckpoints == null ? "; no checkpoint" : "; checkpoint in " + foldCheckpoints
                                + ": the same job run again resumes from it"));
            }
            parameters = ModelStore.countParameters(network);
            ModelStore.save(network, new Provenance(card.name(), recipe.preset(), task.head().kind().name().toLowerCase(Locale.ROOT),
                    task.head().outputs(), channels, commit, config.seed(), task.spec().dataset(), config.epochs(),
                    Long.toString(run.id()), parameters, Instant.now().toString()), foldDir);
            Path file = foldDir.resolve(Rescoring.ONNX_FILE);
            OnnxExport.write(network, new Shape(1, channels, patch[2], patch[1], patch[0]), card.name() + " " + recipe.preset()
                    + " finetuned on " + task.name() + " (run " + run.id() + ", fold " + (fold + 1) + ")", file);
            return file;
        }
    }

    /** The training target of a case: its class, or its value standardised. */
    private float target(Example e, double mean, double scale) {
        return (float) (task.type() == TaskType.REGRESSION ? (e.target() - mean) / scale : e.target());
    }

    /** The loss on one patch per held-out case (centred on the case's volume), without gradients. */
    private double validationLoss(Network network, NDManager manager, List<Example> validation, float[] weights, int[] patch,
            double mean, double scale) {
        int channels = task.inputs().size();
        double sum = 0;
        for (Example e : validation) {
            Batch b = new Batch(1, channels, patch, task.type());
            Prepared p = e.prepared();
            PatchSampler sampler = new PatchSampler(p.image(), p.label(), patch, 0, 0f);
            Patch centre = sampler.at(p.image().nx() / 2, p.image().ny() / 2, p.image().nz() / 2);
            b.put(0, centre.image(), centre.label(), target(e, mean, scale));
            try (NDManager step = manager.newSubManager()) {
                NDArray out = network.apply(new Pass(new ParameterStore(step, false), false),
                        Tensors.copyOf(step, b.images, new Shape(1, channels, patch[2], patch[1], patch[0])));
                sum += loss(out, b.targets, step, weights, patch).getFloat();
            }
        }
        return sum / validation.size();
    }

    /** A batch of patches being filled: images (B, C, z, y, x) and targets (B, z, y, x) or (B). */
    private static final class Batch {
        final float[] images;
        final float[] targets;
        final int voxels;
        final int channels;
        final boolean dense;

        Batch(int size, int channels, int[] patch, TaskType type) {
            this.voxels = patch[0] * patch[1] * patch[2];
            this.channels = channels;
            this.dense = type == TaskType.SEGMENTATION;
            this.images = new float[size * channels * voxels];
            this.targets = new float[dense ? size * voxels : size];
        }

        void put(int n, float[] image, float[] label, float target) {
            System.arraycopy(image, 0, images, n * channels * voxels, channels * voxels);
            if (dense) {
                System.arraycopy(label, 0, targets, n * voxels, voxels);
            } else {
                targets[n] = target;
            }
        }
    }

    private NDArray loss(NDArray out, float[] y, NDManager manager, float[] weights, int[] patch) {
        long b = out.getShape().get(0);
        return switch (task.type()) {
            case SEGMENTATION -> recipe.segmentationLoss().apply(out,
                    Tensors.copyOf(manager, y, new Shape(b, patch[2], patch[1], patch[0])));
            case CLASSIFICATION -> Losses.weightedCrossEntropy(out, Tensors.copyOf(manager, y, new Shape(b)), weights,
                    recipe.labelSmoothing());
            case REGRESSION -> Losses.smoothL1(out, Tensors.copyOf(manager, y, new Shape(b, 1)), 1.0);
        };
    }

    private ObjectNode config(Split split, EncoderStart init) {
        ObjectNode c = recipe.toConfig();
        c.put("card_file", cardFile.toAbsolutePath().toString());
        c.put("task", task.name());
        c.put("init", init == null ? "scratch" : init.describe());
        c.put("device", device.toString());
        c.putPOJO("finetune_cases", split.finetune().stream().map(TaskPlan::caseId).toList());
        c.putPOJO("test_cases", split.test().stream().map(TaskPlan::caseId).toList());
        c.put(ScoredData.HASH, task.dataHash(recipe.seed()));
        if (job != null) {
            c.put(GRID_JOB, job);
        }
        return c;
    }
}
