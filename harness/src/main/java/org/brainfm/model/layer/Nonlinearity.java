package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.brainfm.model.onnx.OnnxGraph;

/** A parameter-free element-wise activation: LeakyReLU(0.01) or exact (erf) GELU. */
public final class Nonlinearity extends Layer {
    static final float LEAKY_SLOPE = 0.01f;
    private final boolean gelu;

    private Nonlinearity(boolean gelu) {
        this.gelu = gelu;
    }

    public static Nonlinearity leakyRelu() {
        return new Nonlinearity(false);
    }

    public static Nonlinearity gelu() {
        return new Nonlinearity(true);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        return input;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        return gelu ? gelu(x) : ai.djl.nn.Activation.leakyRelu(x, LEAKY_SLOPE);
    }

    /** libtorch's exact GELU (approximate="none"), one fused kernel each way. */
    static NDArray gelu(NDArray x) {
        return ai.djl.nn.Activation.gelu(x);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        return gelu ? g.gelu(x) : g.node("LeakyRelu", x, OnnxGraph.attr("alpha", LEAKY_SLOPE));
    }
}
