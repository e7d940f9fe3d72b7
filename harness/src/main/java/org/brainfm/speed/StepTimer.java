package org.brainfm.speed;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.store.ModelStore;
import org.brainfm.tensor.Devices;
import org.brainfm.train.AdamW;

/**
 * Times training steps (forward, backward, AdamW update) of a card's network on one device,
 * the way PyTorch users time theirs: random input N(0, 1) of (batch, 1, size^3), a few
 * warm-up steps, then each step timed from its start until its loss is read back (which
 * waits for every kernel the step queued). CNN cards get a 2-class segmentation head and a
 * voxel-wise cross-entropy against (input > 0); transformer cards a 2-class classification
 * head and cross-entropy against class 0. The preset's patch is replaced by {@code size}^3,
 * so a ViT's position embeddings are learned for that grid and never resampled.
 *
 * <p>After the timed steps, as many profiled steps read a value back after each phase
 * (forward, backward, update) to split the time; those reads cost a little overlap, so the
 * split adds up to a bit more than the plain step.
 */
public final class StepTimer {
    static final float LEARNING_RATE = 1e-4f;
    static final float WEIGHT_DECAY = 1e-2f;
    /** The parts of a step that profiled steps time apart. */
    public static final List<String> PHASES = List.of("forward", "backward", "update");

    /** Which AdamW updates the weights: the harness's own (what pretraining uses) or DJL's fused one. */
    public enum Update {
        BRAINFM,
        DJL
    }

    /** What to time. */
    public record Settings(int size, int batch, int steps, int warmup, Update update) {
        public Settings {
            if (size < 1 || batch < 1 || steps < 1 || warmup < 0) {
                throw new IllegalArgumentException("size, batch and steps must be positive and warmup non-negative");
            }
        }
    }

    /**
     * What one timing found.
     *
     * @param parameterDevice where the first parameter lives after initialisation, as DJL names it
     * @param stepMs          wall milliseconds of each timed step, in order
     * @param phaseMs         median milliseconds of forward (to the loss), backward and update
     * @param gpuMemoryBytes  GPU memory in use after the steps (PyTorch's cache included), 0 on the CPU
     */
    public record Result(String card, String architecture, String head, String preset, int size, int batch,
            String update, String device, int gpuCount, String parameterDevice, long parameters,
            List<Double> stepMs, double bestMs, double medianMs, Map<String, Double> phaseMs,
            double firstLoss, double lastLoss, long gpuMemoryBytes) {}

    private StepTimer() {}

    /** The card's network as timed: preset sizes, patch {@code size}^3, one input channel. */
    public static Network network(ModelCard card, String preset, int size) {
        return Models.build(resized(card, preset, size), preset, head(card), 1);
    }

    /** Builds the network on {@code device}, checks it landed there, and times it. */
    public static Result time(ModelCard card, String preset, Device device, Settings s) {
        Engine engine = Engine.getEngine(Devices.ENGINE);
        int gpus = engine.getGpuCount();
        int reduction = Models.encoder(card, preset, 1).reduction();
        if (s.size() % reduction != 0) {
            throw new BrainfmException("--size", "must be a multiple of " + reduction + " for " + card.name() + ", not " + s.size());
        }
        Head head = head(card);
        Network network = network(card, preset, s.size());
        Shape input = new Shape(s.batch(), 1, s.size(), s.size(), s.size());
        try (NDManager manager = Devices.manager(device)) {
            network.initialize(manager, DataType.FLOAT32, input);
            NDArray first = network.getParameters().get(0).getValue().getArray();
            String landed = first.getDevice().toString();
            if (device.isGpu() && !first.getDevice().isGpu()) {
                throw new BrainfmException("--device gpu", "the network's parameters landed on " + landed
                        + ", not the GPU: DJL fell back to the CPU (CUDA libtorch or JNI not loaded?)");
            }
            Map<String, Parameter> trainable = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : network.getParameters()) {
                trainable.put(p.getKey(), p.getValue());
            }
            NDArray x = manager.randomNormal(input);
            NDArray label = head.kind() == Head.Kind.SEGMENTATION
                    ? x.gt(0).toType(DataType.INT64, false)
                    : manager.zeros(new Shape(s.batch(), 1), DataType.INT64);
            Stepper stepper = new Stepper(engine, network, new ParameterStore(manager, false), x, label, first,
                    s.update() == Update.BRAINFM ? brainfm(trainable, manager) : djl(trainable));

            List<Double> times = new ArrayList<>();
            double firstLoss = Double.NaN;
            for (int i = 0; i < s.warmup() + s.steps(); i++) {
                long t0 = System.nanoTime();
                stepper.step(null);
                if (i == 0) {
                    firstLoss = stepper.lossValue;
                }
                if (i >= s.warmup()) {
                    times.add((System.nanoTime() - t0) / 1e6);
                }
            }
            List<double[]> phases = new ArrayList<>();
            for (int i = 0; i < s.steps(); i++) {
                double[] p = new double[PHASES.size()];
                stepper.step(p);
                phases.add(p);
            }
            Map<String, Double> phaseMs = new LinkedHashMap<>();
            for (int k = 0; k < PHASES.size(); k++) {
                final int column = k;
                phaseMs.put(PHASES.get(k), median(phases.stream().map(p -> p[column]).toList()));
            }
            return new Result(card.name(), card.architecture(), head.kind().name().toLowerCase(Locale.ROOT), preset,
                    s.size(), s.batch(), s.update().name().toLowerCase(Locale.ROOT), device.toString(), gpus, landed,
                    ModelStore.countParameters(network), times, times.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    median(times), phaseMs, firstLoss, stepper.lossValue, device.isGpu() ? gpuMemoryInUse(device) : 0);
        }
    }

    /** Runs training steps on fixed data; {@link #loss} is the last step's loss. */
    private static final class Stepper {
        private final Engine engine;
        private final Network network;
        private final ParameterStore store;
        private final NDArray x;
        private final NDArray label;
        private final NDArray probe;
        private final Runnable update;
        private final Loss loss = Loss.softmaxCrossEntropyLoss("ce", 1f, 1, true, true);
        double lossValue = Double.NaN;

        Stepper(Engine engine, Network network, ParameterStore store, NDArray x, NDArray label, NDArray probe, Runnable update) {
            this.engine = engine;
            this.network = network;
            this.store = store;
            this.x = x;
            this.label = label;
            this.probe = probe;
            this.update = update;
        }

        /**
         * One step. With {@code phases}, a value is read back after the forward pass, the
         * backward pass and the update, and their milliseconds are written there; without, only
         * the loss is read back, at the end. The update runs outside the step's scope so that
         * an optimizer's lazily created state outlives it.
         */
        void step(double[] phases) {
            long t0 = System.nanoTime();
            long t1;
            long t2;
            NDArray value;
            try (NDScope scope = new NDScope(); GradientCollector collector = engine.newGradientCollector()) {
                NDArray logits = network.apply(new Pass(store, true), x);
                value = loss.evaluate(new NDList(label), new NDList(logits));
                if (phases != null) {
                    value.getFloat();
                }
                t1 = System.nanoTime();
                collector.backward(value);
                if (phases != null) {
                    readOne(probe.getGradient());
                }
                t2 = System.nanoTime();
                NDScope.unregister(value);
            }
            update.run();
            lossValue = value.getFloat();
            value.close();
            if (phases != null) {
                long t3 = System.nanoTime();
                phases[0] = (t1 - t0) / 1e6;
                phases[1] = (t2 - t1) / 1e6;
                phases[2] = (t3 - t2) / 1e6;
            }
        }
    }

    /** Reads one element back to the host, which waits for every kernel queued before. */
    private static void readOne(NDArray a) {
        try (NDArray grad = a) {
            grad.getFloat(new long[grad.getShape().dimension()]);
        }
    }

    /** CNNs segment (2 classes, per voxel); transformers classify (2 classes), as the PyTorch twin does. */
    static Head head(ModelCard card) {
        return "transformer".equals(card.family()) ? Head.classification(2) : Head.segmentation(2);
    }

    /** The card with the preset's patch set to {@code size}^3. */
    static ModelCard resized(ModelCard card, String preset, int size) {
        ModelCard.Preset p = card.preset(preset);
        ModelCard.Preset q = new ModelCard.Preset(new int[] {size, size, size}, p.widths(), p.blocks(), p.latent(), p.dim(),
                p.depth(), p.heads(), p.tokenPatch(), p.mlpRatio(), p.parameters());
        Map<String, ModelCard.Preset> presets = new HashMap<>(card.presets());
        presets.put(preset, q);
        return new ModelCard(card.source(), card.name(), card.family(), card.architecture(), card.citation(), card.contrasts(),
                card.referenceHead(), presets, card.pretraining(), card.finetuning());
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static long gpuMemoryInUse(Device device) {
        try {
            return ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getUsed();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /** The harness's AdamW, as pretraining runs it (no gradient clipping here). */
    private static Runnable brainfm(Map<String, Parameter> parameters, NDManager manager) {
        AdamW adamW = new AdamW(parameters, manager);
        return () -> adamW.step(LEARNING_RATE, WEIGHT_DECAY, 1);
    }

    /** DJL's AdamW, one fused native update per parameter; the gradients are zeroed after it as PyTorch's would be. */
    private static Runnable djl(Map<String, Parameter> parameters) {
        Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).optWeightDecays(WEIGHT_DECAY).build();
        return () -> {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray w = e.getValue().getArray();
                try (NDArray g = w.getGradient()) {
                    adamW.update(e.getKey(), w, g);
                    g.muli(0f);
                }
            }
        };
    }
}
