package org.brainfm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.tensor.Tensors;

/**
 * AdamW (Loshchilov and Hutter) over NDArrays, with its state in the open: the first and second
 * moments of every parameter and the step count, so that a checkpoint holds all of it and a
 * resumed run continues bit for bit (DJL's own optimizers keep their state private). Weight
 * decay is decoupled and skips one-dimensional parameters (biases, norm scales and shifts).
 * Gradients are read from the parameters, scaled (for clipping), used, and zeroed.
 *
 * <p>The update works on all parameters at once, as PyTorch's multi-tensor AdamW does: the
 * gradients are concatenated into one flat vector, the moments are kept flat, and the arithmetic
 * runs as a dozen operations on that vector. Every operation is a JNI call with a fixed cost
 * (tens of microseconds); per parameter, as before, a ViT-B's 150 tensors took 77 ms an update on
 * the H200, dominated by those calls (docs/gpu.md).
 */
public final class AdamW {
    private final Map<String, Parameter> parameters;
    private final NDManager state;
    /** Where each parameter's part ends in the flat vectors, after the first (for split). */
    private final long[] boundaries;
    private NDArray first;
    private NDArray second;
    /** The flat gradients {@link #gradientNorm} gathered for the step that follows it, or null. */
    private NDArray normed;
    private long steps;

    /** @param parameters the trainable parameters by unique name; {@code manager} holds the moments */
    public AdamW(Map<String, Parameter> parameters, NDManager manager) {
        this.parameters = new LinkedHashMap<>(parameters);
        this.state = manager.newSubManager();
        this.boundaries = new long[this.parameters.size() - 1];
        long size = 0;
        int i = 0;
        NDArray any = null;
        for (Parameter p : this.parameters.values()) {
            any = p.getArray();
            size += any.size();
            if (i < boundaries.length) {
                boundaries[i++] = size;
            }
        }
        this.first = state.zeros(new Shape(size), any.getDataType(), any.getDevice());
        this.second = state.zeros(new Shape(size), any.getDataType(), any.getDevice());
    }

    public long steps() {
        return steps;
    }

    /**
     * The global L2 norm of all gradients (one read back from the device). The flat gradients it
     * gathers are kept for the {@link #step} or {@link #skip} that follows, so clipping does not
     * gather them twice; call it after the backward pass, as the loop does.
     */
    public double gradientNorm() {
        dropNormed();
        try (NDScope scope = new NDScope()) {
            normed = flatGradients();
            NDScope.unregister(normed);
            return normed.norm().getFloat();
        }
    }

    private void dropNormed() {
        if (normed != null) {
            normed.close();
            normed = null;
        }
    }

    /** Names of the parameters whose gradient holds a NaN or an infinity (to say where a skipped step broke). */
    public List<String> nonFiniteGradients() {
        List<String> names = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray g = e.getValue().getArray().getGradient();
                if (g.isNaN().any().getBoolean() || g.isInfinite().any().getBoolean()) {
                    names.add(e.getKey());
                }
            }
        }
        return names;
    }

    /** Drops the gradients without an update: a step whose loss or gradients were not finite. */
    public void skip() {
        dropNormed();
        for (Parameter p : parameters.values()) {
            zeroGradient(p.getArray());
        }
    }

    /**
     * One update with learning rate {@code lr}, the gradients multiplied by {@code scale} first
     * (below 1 when clipping); then the gradients are zeroed (PyTorch accumulates them).
     */
    public void step(double lr, double weightDecay, double scale) {
        // as PyTorch's optimisers do (@torch.no_grad): libtorch refuses in-place updates of leaves that
        // take gradients while grad mode is on, and grad mode is per thread - on in any thread but the
        // one that loaded the engine, such as a scoring worker's (DJL's collector restores it on close)
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            update(lr, weightDecay, scale);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private void update(double lr, double weightDecay, double scale) {
        steps++;
        double c1 = 1 - Math.pow(TrainConfig.BETA1, steps);
        double c2 = 1 - Math.pow(TrainConfig.BETA2, steps);
        try (NDScope scope = new NDScope()) {
            NDArray g = normed != null ? normed : flatGradients();
            first.muli((float) TrainConfig.BETA1).addi(Tensors.scale(g, (1 - TrainConfig.BETA1) * scale));
            second.muli((float) TrainConfig.BETA2).addi(g.square().muli((float) ((1 - TrainConfig.BETA2) * scale * scale)));
            // lr * (m / c1) / (sqrt(v / c2) + eps), with the corrections folded into scalars
            NDArray denominator = second.sqrt().muli((float) (1 / Math.sqrt(c2))).addi((float) TrainConfig.EPSILON);
            NDList updates = first.div(denominator).muli((float) (lr / c1)).split(boundaries);
            int i = 0;
            for (Parameter p : parameters.values()) {
                NDArray w = p.getArray();
                if (weightDecay > 0 && w.getShape().dimension() > 1) {
                    w.muli((float) (1 - lr * weightDecay));
                }
                w.subi(updates.get(i++).reshape(w.getShape()));
                zeroGradient(w);
            }
        }
        dropNormed();
    }

    private NDArray flatGradients() {
        NDList parts = new NDList(parameters.size());
        for (Parameter p : parameters.values()) {
            parts.add(p.getArray().getGradient().reshape(-1));
        }
        return NDArrays.concat(parts);
    }

    /** zero_() in libtorch: multiplying by 0 would keep NaN, and NDArray.set(Buffer) would make the
     * gradient share a Java buffer that is freed with its wrapper (a use-after-free). */
    private static void zeroGradient(NDArray w) {
        JniUtils.zeroGrad((PtNDArray) w);
    }

    void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeInt(parameters.size());
        try (NDScope scope = new NDScope()) {
            NDList firsts = first.split(boundaries);
            NDList seconds = second.split(boundaries);
            int i = 0;
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                out.writeUTF(e.getKey());
                Shape shape = e.getValue().getArray().getShape();
                for (NDArray moment : List.of(firsts.get(i), seconds.get(i))) {
                    byte[] bytes = moment.reshape(shape).encode();
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
                i++;
            }
        }
    }

    void load(DataInputStream in) throws IOException {
        long savedSteps = in.readLong();
        int count = in.readInt();
        if (count != parameters.size()) {
            throw new IOException("optimizer state for " + count + " parameters, the model has " + parameters.size());
        }
        try (NDManager loading = state.newSubManager()) {
            NDList firsts = new NDList(count);
            NDList seconds = new NDList(count);
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                String saved = in.readUTF();
                if (!saved.equals(e.getKey())) {
                    throw new IOException("optimizer state for parameter " + saved + " where " + e.getKey() + " was expected");
                }
                Shape shape = e.getValue().getArray().getShape();
                for (NDList moments : List.of(firsts, seconds)) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    NDArray loaded = loading.decode(bytes);
                    if (!loaded.getShape().equals(shape)) {
                        throw new IOException("optimizer state of " + e.getKey() + " has shape " + loaded.getShape() + ", not " + shape);
                    }
                    moments.add(loaded.reshape(-1));
                }
            }
            replace(NDArrays.concat(firsts), NDArrays.concat(seconds));
        }
        steps = savedSteps;
    }

    private void replace(NDArray newFirst, NDArray newSecond) {
        NDArray f = newFirst.toDevice(first.getDevice(), true);
        NDArray s2 = newSecond.toDevice(second.getDevice(), true);
        f.attach(state);
        s2.attach(state);
        first.close();
        second.close();
        first = f;
        second = s2;
    }
}
