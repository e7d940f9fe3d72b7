package org.brainfm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.brainfm.BrainfmException;
import org.brainfm.model.layer.Chain;
import org.brainfm.model.layer.Conv;
import org.brainfm.model.layer.Layer;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared training loop on a tiny convolutional denoiser, 8^3 patches. */
class TrainerTest {
    private static final int SIZE = 8;
    private static final TrainConfig CONFIG = new TrainConfig(3, 4, 3e-2, 1e-3, 1e-2, 1, 1.0, 7);

    @TempDir
    Path dir;

    private static Layer model() {
        return new Chain(Chain.convBlock(1, 4, 1), Conv.pointwise(4, 1));
    }

    /** Denoise a random smooth-ish volume: target x, input x + noise; everything from the step's generator. */
    private static StepLoss denoise(Layer model) {
        return step -> {
            int n = SIZE * SIZE * SIZE * 2;
            float[] clean = new float[n];
            float[] noisy = new float[n];
            for (int i = 0; i < n; i++) {
                clean[i] = (float) Math.sin(i * 0.37 + step.random().nextDouble() * 0.3);
                noisy[i] = clean[i] + (float) (0.5 * (step.random().nextDouble() - 0.5));
            }
            Shape shape = new Shape(2, 1, SIZE, SIZE, SIZE);
            NDArray x = step.manager().create(noisy, shape);
            NDArray y = step.manager().create(clean, shape);
            NDArray error = model.apply(step.pass(), x).sub(y);
            NDArray mse = error.square().mean();
            return new BatchLoss(mse, Map.of("mae", error.abs().mean()), n);
        };
    }

    private record Run(List<EpochSummary> epochs, float[] weights, Trainer.Result result) {}

    private Run train(TrainConfig config, Path checkpoints, boolean resume, int stopAfter) {
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Seeds.seedEngine(config.seed());
            Layer model = model();
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 1, SIZE, SIZE, SIZE));
            List<EpochSummary> epochs = new ArrayList<>();
            Trainer trainer = new Trainer(config, List.of(model), denoise(model), manager);
            if (checkpoints != null) {
                trainer.checkpoints(checkpoints, "tiny-denoiser");
            }
            trainer.onEpoch(e -> {
                epochs.add(e);
                if (e.epoch() == stopAfter) {
                    trainer.requestStop();
                }
            });
            Trainer.Result result = trainer.fit(resume);
            return new Run(epochs, flat(model), result);
        }
    }

    private static float[] flat(Block block) {
        List<Float> all = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            for (float f : p.getArray().toFloatArray()) {
                all.add(f);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void lossFallsAndEpochsAreReported() {
        Run run = train(CONFIG.withEpochs(3), null, false, -1);
        assertThat(run.epochs()).hasSize(3);
        assertThat(run.epochs().get(2).loss()).isLessThan(run.epochs().get(0).loss() * 0.8);
        assertThat(run.epochs().get(2).step()).isEqualTo(12);
        assertThat(run.epochs().get(0).terms()).containsKey("mae");
        assertThat(run.epochs().get(0).voxelsPerSecond()).isPositive();
        assertThat(run.result().complete()).isTrue();
    }

    @Test
    void sameSeedSameLossesOtherSeedOtherLosses() {
        Run a = train(CONFIG, null, false, -1);
        Run b = train(CONFIG, null, false, -1);
        Run c = train(CONFIG.withSeed(8), null, false, -1);
        assertThat(b.weights()).containsExactly(a.weights());
        assertThat(c.epochs().get(0).loss()).isNotEqualTo(a.epochs().get(0).loss());
    }

    @Test
    void aWorkerThreadTrainsAsTheMainThreadDoesAndTwoTrainAtOnce() throws Exception {
        // Grad mode is per thread in libtorch and on in a new one; the scoring workers train there.
        Run here = train(CONFIG, null, false, -1);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            Run there = workers.submit(() -> train(CONFIG, null, false, -1)).get();
            assertThat(there.weights()).containsExactly(here.weights());
            // DJL allows one gradient collector per process: two runs at once take turns at it
            Future<Run> a = workers.submit(() -> train(CONFIG.withEpochs(6), null, false, -1));
            Future<Run> b = workers.submit(() -> train(CONFIG.withEpochs(6).withSeed(8), null, false, -1));
            for (Run run : List.of(a.get(), b.get())) {
                assertThat(run.result().complete()).isTrue();
                assertThat(run.epochs().get(5).loss()).isLessThan(run.epochs().get(0).loss() * 0.8);
            }
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void resumedRunMatchesUninterruptedRun() {
        Run straight = train(CONFIG, dir.resolve("straight"), false, -1);
        Run interrupted = train(CONFIG, dir.resolve("resumed"), false, 2);
        assertThat(interrupted.result().complete()).isFalse();
        assertThat(interrupted.epochs()).hasSize(2);
        Run resumed = train(CONFIG, dir.resolve("resumed"), true, -1);
        assertThat(resumed.result().firstEpoch()).isEqualTo(3);
        assertThat(resumed.epochs()).hasSize(1);
        assertThat(resumed.epochs().get(0).loss()).isCloseTo(straight.epochs().get(2).loss(), within(1e-6));
        assertThat(interrupted.epochs().get(1).loss()).isCloseTo(straight.epochs().get(1).loss(), within(1e-6));
        float[] a = straight.weights();
        float[] b = resumed.weights();
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).isCloseTo(a[i], within(1e-6f));
        }
        assertThat(Files.exists(dir.resolve("resumed").resolve(Checkpoint.FILE + ".tmp"))).isFalse();
    }

    @Test
    void aStopMidEpochCheckpointsTheStepReachedAndTheResumeEndsWhereAnUninterruptedRunEnds() {
        Run straight = train(CONFIG, dir.resolve("straight"), false, -1);
        Path resumedDir = dir.resolve("mid-epoch");
        float[] stopped;
        Trainer.Result first;
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Seeds.seedEngine(CONFIG.seed());
            Layer model = model();
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 1, SIZE, SIZE, SIZE));
            Trainer[] trainer = new Trainer[1];
            StepLoss inner = denoise(model);
            // as a SIGTERM would: asked during step 5 (epoch 2's second step) of 12
            trainer[0] = new Trainer(CONFIG, List.of(model), step -> {
                if (step.step() == 5) {
                    trainer[0].requestStop();
                }
                return inner.compute(step);
            }, manager).checkpoints(resumedDir, "tiny-denoiser");
            first = trainer[0].fit(false);
            stopped = flat(model);
        }
        assertThat(first.complete()).isFalse();
        assertThat(first.epochs()).hasSize(1);
        assertThat(stopped).isNotEqualTo(straight.weights());
        Run resumed = train(CONFIG, resumedDir, true, -1);
        assertThat(resumed.result().complete()).isTrue();
        assertThat(resumed.result().firstEpoch()).isEqualTo(2);
        assertThat(resumed.epochs()).extracting(EpochSummary::epoch).containsExactly(2, 3);
        // epoch 3 is whole in both: the same loss; and the same weights at the end
        assertThat(resumed.epochs().get(1).loss()).isCloseTo(straight.epochs().get(2).loss(), within(1e-6));
        float[] a = straight.weights();
        float[] b = resumed.weights();
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).isCloseTo(a[i], within(1e-6f));
        }
    }

    @Test
    void resumeRefusesAnotherConfigurationAndAMissingCheckpoint() {
        train(CONFIG.withEpochs(1), dir, false, -1);
        assertThatThrownBy(() -> train(CONFIG.withSeed(99).withEpochs(1), dir, true, -1))
                .isInstanceOf(BrainfmException.class).hasMessageContaining("another configuration");
        assertThatThrownBy(() -> train(CONFIG, dir.resolve("empty"), true, -1))
                .isInstanceOf(BrainfmException.class).hasMessageContaining("no checkpoint");
    }

    @Test
    void truncatedCheckpointIsAOneLineError() throws Exception {
        train(CONFIG.withEpochs(1), dir, false, -1);
        Path file = dir.resolve(Checkpoint.FILE);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> train(CONFIG.withEpochs(1), dir, true, -1))
                .isInstanceOf(BrainfmException.class).hasMessageContaining("cannot read the checkpoint");
    }

    @Test
    void progressLinesCarryLossThroughputAndEta() {
        StringWriter text = new StringWriter();
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Layer model = model();
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 1, SIZE, SIZE, SIZE));
            new Trainer(CONFIG.withEpochs(1), List.of(model), denoise(model), manager)
                    .progress(new Progress(new PrintWriter(text), false, 3600)).fit(false);
        }
        assertThat(text.toString().strip().lines()).hasSize(1);
        assertThat(text.toString()).matches("(?s)epoch 1/1 \\[#{20}\\] 4/4 loss \\d+\\.\\d{4} [0-9.]+[kMG]? vox/s ETA 0m00s\\s*");
    }

    /** A loss that is NaN on the given global steps and the denoiser's elsewhere. */
    private static StepLoss nanOn(Layer model, java.util.function.LongPredicate bad) {
        StepLoss good = denoise(model);
        return step -> {
            BatchLoss l = good.compute(step);
            return bad.test(step.step()) ? new BatchLoss(l.total().mul(Float.NaN), l.terms(), l.voxels()) : l;
        };
    }

    @Test
    void aStepWithANonFiniteLossIsSkippedAndTheWeightsStayFinite() {
        StringWriter log = new StringWriter();
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Seeds.seedEngine(CONFIG.seed());
            Layer model = model();
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 1, SIZE, SIZE, SIZE));
            Trainer.Result result = new Trainer(CONFIG, List.of(model), nanOn(model, s -> s == 1), manager)
                    .progress(new Progress(new PrintWriter(log, true), false, 1e9)).fit(false);
            assertThat(result.skippedSteps()).isEqualTo(1);
            assertThat(result.complete()).isTrue();
            assertThat(result.epochs()).allSatisfy(e -> assertThat(e.loss()).isFinite());
            for (float w : flat(model)) {
                assertThat(w).isFinite();
            }
        }
        assertThat(log.toString()).contains("brainfm: epoch 1, step 1: loss NaN, gradient norm NaN: step skipped");
    }

    @Test
    void aRunOfNonFiniteStepsEndsTheRunWithAOneLineError() {
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Seeds.seedEngine(CONFIG.seed());
            Layer model = model();
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 1, SIZE, SIZE, SIZE));
            Trainer trainer = new Trainer(CONFIG, List.of(model), nanOn(model, s -> s >= 2), manager);
            assertThatThrownBy(() -> trainer.fit(false)).isInstanceOf(BrainfmException.class)
                    .hasMessageContaining("not finite for 6 steps in a row, up to epoch 2, step 7");
        }
    }
}
