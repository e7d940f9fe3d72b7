package org.brainfm.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.brainfm.BrainfmException;
import org.brainfm.model.layer.Pass;
import org.brainfm.tensor.Devices;

/**
 * The training loop that pretraining and finetuning share: explicit AdamW, linear warmup then
 * cosine decay per step, gradient clipping by global L2 norm, one seed for everything, a
 * sub-manager per step (closed after it, so native memory stays flat), a checkpoint after each
 * epoch and an exact resume, a progress line with loss, voxels/s and ETA, and a callback per
 * epoch (to write the records).
 *
 * <p>How a caller (pretraining or finetuning) uses it:
 * <pre>{@code
 * Seeds.seedEngine(seed);                       // before initialising, for reproducible weights
 * network.initialize(manager, DataType.FLOAT32, inputShape);   // or ModelStore.load(...)
 * StepLoss loss = step -> {                     // draw a batch from step.random(), e.g. patches
 *     NDArray x = step.manager().create(...);   // arrays in step.manager()
 *     NDArray y = network.apply(step.pass(), x);
 *     return new Losses(diceCe(y, target), Map.of("dice", dice, "ce", ce), voxels);
 * };
 * TrainResult result = new Trainer(config, List.of(network), loss, manager)
 *         .checkpoints(runDir, fingerprint)     // optional: checkpoint.bin each epoch
 *         .progress(new Progress(err, terminal, 10))
 *         .onEpoch(e -> run.logEpoch(e.epoch(), e.step(), e.loss(), e.learningRate()))
 *         .fit(resume);
 * }</pre>
 * Every block in the list is trained (a pretraining objective adds its own small heads); a
 * parameter frozen with {@code block.freezeParameters(true)} before the Trainer is built is left
 * alone. All randomness of a step must come from {@link Step#random()}; then a run resumed from
 * its epoch-{@code k} checkpoint repeats an uninterrupted run's losses exactly.
 */
public final class Trainer {
    /** Non-finite steps in a row that end a run: one now and then is noise, a run is divergence. */
    static final int MAX_SKIPPED_IN_A_ROW = 5;
    /**
     * DJL's PyTorch engine allows one open gradient collector per process; runs trained at once
     * (scoring workers finetuning encoder entries) take turns at forward and backward.
     */
    private static final ReentrantLock COLLECTING = new ReentrantLock();

    private final TrainConfig config;
    private final List<Block> blocks;
    private final StepLoss loss;
    private final NDManager manager;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final AdamW optimizer;
    private Path checkpointDir;
    private String fingerprint = "";
    private Progress progress = Progress.silent();
    private EpochListener listener = e -> { };
    private volatile boolean stopRequested;
    private long skipped;

    /** Called after each epoch's checkpoint is written. */
    @FunctionalInterface
    public interface EpochListener {
        void epochEnded(EpochSummary summary);
    }

    /** The epochs this call of {@link #fit} trained, from which epoch (1-based) it began, and whether it reached the end. */
    /** @param skippedSteps steps dropped because their loss or gradients were not finite */
    /** {@code stepSeconds}: the training steps' time, each until its loss was read back (the device synchronised). */
    public record Result(List<EpochSummary> epochs, int firstEpoch, boolean complete, long skippedSteps, double stepSeconds) {
        public Result {
            epochs = List.copyOf(epochs);
        }

        public double lastLoss() {
            return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).loss();
        }
    }

    /**
     * @param blocks  initialised blocks whose trainable parameters are optimised; the first is
     *                usually the model, the others heads that only the loss uses
     * @param manager the manager the blocks were initialised with (the device to train on)
     */
    public Trainer(TrainConfig config, List<Block> blocks, StepLoss loss, NDManager manager) {
        this.config = config;
        this.blocks = List.copyOf(blocks);
        this.loss = loss;
        this.manager = manager;
        for (int b = 0; b < this.blocks.size(); b++) {
            for (Pair<String, Parameter> p : this.blocks.get(b).getParameters()) {
                if (p.getValue().requiresGradient()) {
                    parameters.put(b + "/" + p.getKey(), p.getValue());
                }
            }
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("nothing to train: the blocks have no trainable parameters");
        }
        optimizer = new AdamW(parameters, manager);
    }

    /** Write {@code dir/checkpoint.bin} after each epoch; {@code fingerprint} names the run's configuration. */
    public Trainer checkpoints(Path dir, String runFingerprint) {
        this.checkpointDir = dir;
        this.fingerprint = runFingerprint + " " + config;
        return this;
    }

    public Trainer progress(Progress value) {
        this.progress = value;
        return this;
    }

    public Trainer onEpoch(EpochListener value) {
        this.listener = value;
        return this;
    }

    /**
     * Stops at the next step boundary; with checkpoints, the step reached is checkpointed first
     * (mid-epoch too), so that {@code fit(true)} goes on from it. Safe from any thread (a signal
     * handler: a preempted job has seconds, not an epoch).
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Trainable parameters, counted. */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    /**
     * Trains from the start, or with {@code resume} from the checkpoint in the checkpoint
     * folder (which must exist), to the last epoch or until {@link #requestStop}.
     */
    public Result fit(boolean resume) {
        int startEpoch = 0;
        int startIteration = 0;
        if (resume) {
            if (checkpointDir == null || !Checkpoint.exists(checkpointDir)) {
                throw new BrainfmException("--resume", "no checkpoint to resume from"
                        + (checkpointDir == null ? "" : " in " + checkpointDir));
            }
            Checkpoint.Position at = Checkpoint.read(checkpointDir, fingerprint, blocks, optimizer, manager);
            startEpoch = at.epochsDone();
            // a checkpoint taken mid-epoch (a stop) goes on at its step; the steps' random draws depend on the step only
            startIteration = (int) (at.steps() - (long) startEpoch * config.iterationsPerEpoch());
        }
        List<EpochSummary> done = new ArrayList<>();
        ParameterStore store = new ParameterStore(manager, false);
        Engine engine = Engine.getEngine(Devices.ENGINE);
        long started = System.nanoTime();
        long stepsThisCall = 0;
        double stepSeconds = 0;
        int skippedInARow = 0;
        long totalSteps = config.totalSteps();
        int iterations = config.iterationsPerEpoch();
        for (int epoch = startEpoch; epoch < config.epochs() && !stopRequested; epoch++) {
            long epochStart = System.nanoTime();
            double lossSum = 0;
            int counted = 0;
            long voxels = 0;
            Map<String, Double> termSums = new LinkedHashMap<>();
            double lr = 0;
            int firstIteration = epoch == startEpoch ? startIteration : 0;
            for (int it = firstIteration; it < iterations; it++) {
                long step = (long) epoch * iterations + it;
                lr = config.learningRate(step);
                long stepStart = System.nanoTime();
                try (NDManager stepManager = manager.newSubManager(); NDScope scope = new NDScope()) {
                    Step context = new Step(stepManager, new Pass(store, true), Seeds.forStep(config.seed(), step),
                            epoch, it, step, config.epochs(), iterations);
                    BatchLoss losses;
                    COLLECTING.lock();
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        losses = loss.compute(context);
                        collector.backward(losses.total());
                    } finally {
                        COLLECTING.unlock();
                    }
                    double value = losses.total().getFloat();   // waits for the device: the step's work is done
                    stepSeconds += (System.nanoTime() - stepStart) / 1e9;
                    double norm = Double.isFinite(value) ? optimizer.gradientNorm() : Double.NaN;
                    if (!Double.isFinite(norm)) {
                        // As mixed-precision training does: a step with a non-finite loss or gradient is
                        // dropped, not applied; only a run of them means the training itself diverged.
                        // the backward pass runs from the loss back: the last broken parameter is nearest where the NaN arose
                        List<String> broken = Double.isFinite(value) ? optimizer.nonFiniteGradients() : List.of();
                        optimizer.skip();
                        skipped++;
                        if (++skippedInARow > MAX_SKIPPED_IN_A_ROW) {
                            throw new BrainfmException("training", String.format(Locale.ROOT,
                                    "the loss or its gradients were not finite for %d steps in a row, up to epoch %d, step %d"
                                            + " (learning rate %.3g too high?)", skippedInARow, epoch + 1, step, lr));
                        }
                        progress.note(String.format(Locale.ROOT, "epoch %d, step %d: loss %s, gradient norm %s%s: step skipped",
                                epoch + 1, step, value, norm, broken.isEmpty() ? "" : " (not finite in " + broken.size()
                                        + " parameters, the last in model order " + broken.get(broken.size() - 1) + ")"));
                    } else {
                        skippedInARow = 0;
                        counted++;
                        lossSum += value;
                        voxels += losses.voxels();
                        for (Map.Entry<String, NDArray> t : losses.terms().entrySet()) {
                            termSums.merge(t.getKey(), (double) t.getValue().getFloat(), Double::sum);
                        }
                        double scale = config.gradientClip() > 0 ? Math.min(1, config.gradientClip() / (norm + 1e-6)) : 1;
                        optimizer.step(lr, config.weightDecay(), scale);
                    }
                }
                stepsThisCall++;
                double elapsed = (System.nanoTime() - started) / 1e9;
                double epochElapsed = (System.nanoTime() - epochStart) / 1e9;
                long remaining = totalSteps - (step + 1);
                progress.update(epoch + 1, config.epochs(), it + 1, iterations, lossSum / Math.max(counted, 1),
                        voxels / Math.max(epochElapsed, 1e-9), elapsed / stepsThisCall * remaining);
                if (stopRequested && it + 1 < iterations) {
                    // mid-epoch: checkpoint the step reached; no epoch summary for a part of an epoch
                    if (checkpointDir != null) {
                        Checkpoint.write(checkpointDir, fingerprint, new Checkpoint.Position(epoch, step + 1), blocks, optimizer);
                    }
                    return new Result(done, startEpoch + 1, false, skipped, stepSeconds);
                }
            }
            Checkpoint.Position position = new Checkpoint.Position(epoch + 1, (long) (epoch + 1) * iterations);
            if (checkpointDir != null) {
                Checkpoint.write(checkpointDir, fingerprint, position, blocks, optimizer);
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            Map<String, Double> terms = new LinkedHashMap<>();
            int n = Math.max(counted, 1);
            termSums.forEach((k, v) -> terms.put(k, v / n));
            EpochSummary summary = new EpochSummary(epoch + 1, position.steps(), lossSum / n, terms, lr,
                    seconds, voxels / seconds, Memory.residentBytes());
            done.add(summary);
            listener.epochEnded(summary);
        }
        int last = done.isEmpty() ? startEpoch : done.get(done.size() - 1).epoch();
        return new Result(done, startEpoch + 1, last == config.epochs(), skipped, stepSeconds);
    }
}
