package org.brainfm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** A parameter-free element-wise activation: LeakyReLU(0.01) or exact (erf) GELU. */
public final class Activation extends Layer {
    static final float LEAKY_SLOPE = 0.01f;
    private final boolean gelu;

    private Activation(boolean gelu) {
        this.gelu = gelu;
    }

    public static Activation leakyRelu() {
        return new Activation(false);
    }

    public static Activation gelu() {
        return new Activation(true);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        return input;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        return gelu ? gelu(x) : ai.djl.nn.Activation.leakyRelu(x, LEAKY_SLOPE);
    }

    static NDArray gelu(NDArray x) {
        return Tensors.scale(x, 0.5).mul(Tensors.scale(x, 1 / Math.sqrt(2.0)).erf().add(1));
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        return gelu ? g.gelu(x) : g.node("LeakyRelu", x, OnnxGraph.attr("alpha", LEAKY_SLOPE));
    }
}
