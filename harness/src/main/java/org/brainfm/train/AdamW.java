package org.brainfm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
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

/**
 * AdamW (Loshchilov and Hutter) over NDArrays, with its state in the open: the first and second
 * moments of every parameter and the step count, so that a checkpoint holds all of it and a
 * resumed run continues bit for bit (DJL's own optimizers keep their state private). Weight
 * decay is decoupled and skips one-dimensional parameters (biases, norm scales and shifts).
 * Gradients are read from the parameters, scaled (for clipping), used, and zeroed.
 */
public final class AdamW {
    private final Map<String, Parameter> parameters;
    private final NDManager state;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long steps;

    /** @param parameters the trainable parameters by unique name; {@code manager} holds the moments */
    public AdamW(Map<String, Parameter> parameters, NDManager manager) {
        this.parameters = new LinkedHashMap<>(parameters);
        this.state = manager.newSubManager();
        for (Map.Entry<String, Parameter> e : this.parameters.entrySet()) {
            NDArray w = e.getValue().getArray();
            first.put(e.getKey(), state.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            second.put(e.getKey(), state.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        }
    }

    public long steps() {
        return steps;
    }

    /** The global L2 norm of all gradients. */
    public double gradientNorm() {
        double squares = 0;
        try (NDScope scope = new NDScope()) {
            for (Parameter p : parameters.values()) {
                NDArray g = p.getArray().getGradient();
                squares += g.square().sum().getFloat();
            }
        }
        return Math.sqrt(squares);
    }

    /** Drops the gradients without an update: a step whose loss or gradients were not finite. */
    public void skip() {
        // zero_() in libtorch itself: multiplying by 0 keeps NaN, and NDArray.set(Buffer) would make
        // the gradient share a Java buffer that is freed with its wrapper (a use-after-free).
        for (Parameter p : parameters.values()) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    /**
     * One update with learning rate {@code lr}, the gradients multiplied by {@code scale} first
     * (below 1 when clipping); then the gradients are zeroed (PyTorch accumulates them).
     */
    public void step(double lr, double weightDecay, double scale) {
        steps++;
        float c1 = (float) (1 - Math.pow(TrainConfig.BETA1, steps));
        float c2 = (float) (1 - Math.pow(TrainConfig.BETA2, steps));
        float b1 = (float) TrainConfig.BETA1;
        float b2 = (float) TrainConfig.BETA2;
        try (NDScope scope = new NDScope()) {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                NDArray w = e.getValue().getArray();
                NDArray g = w.getGradient();
                NDArray used = scale == 1 ? g : g.mul((float) scale);
                NDArray m = first.get(e.getKey()).muli(b1).addi(used.mul(1 - b1));
                NDArray v = second.get(e.getKey()).muli(b2).addi(used.square().muli(1 - b2));
                if (weightDecay > 0 && w.getShape().dimension() > 1) {
                    w.muli((float) (1 - lr * weightDecay));
                }
                NDArray denominator = v.div(c2).sqrt().addi((float) TrainConfig.EPSILON);
                w.subi(m.div(c1).divi(denominator).muli((float) lr));
                g.muli(0f);
            }
        }
    }

    void save(DataOutputStream out) throws IOException {
        out.writeLong(steps);
        out.writeInt(parameters.size());
        for (String name : parameters.keySet()) {
            out.writeUTF(name);
            for (NDArray moment : List.of(first.get(name), second.get(name))) {
                byte[] bytes = moment.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    void load(DataInputStream in) throws IOException {
        long savedSteps = in.readLong();
        int count = in.readInt();
        List<String> names = new ArrayList<>(parameters.keySet());
        if (count != names.size()) {
            throw new IOException("optimizer state for " + count + " parameters, the model has " + names.size());
        }
        for (String name : names) {
            String saved = in.readUTF();
            if (!saved.equals(name)) {
                throw new IOException("optimizer state for parameter " + saved + " where " + name + " was expected");
            }
            for (Map<String, NDArray> moments : List.of(first, second)) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                NDArray loaded = state.decode(bytes);
                NDArray old = moments.get(name);
                if (!loaded.getShape().equals(old.getShape())) {
                    throw new IOException("optimizer state of " + name + " has shape " + loaded.getShape() + ", not " + old.getShape());
                }
                moments.put(name, loaded.toDevice(old.getDevice(), false));
                old.close();
            }
        }
        steps = savedSteps;
    }
}
