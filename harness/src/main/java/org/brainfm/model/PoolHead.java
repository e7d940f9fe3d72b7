package org.brainfm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Classification or regression: global average of a feature map, then Linear-LeakyReLU-Linear. */
public final class PoolHead extends Layer {
    private final int channels;
    private final Chain mlp;

    public PoolHead(int channels, int out) {
        this.channels = channels;
        mlp = addChildBlock("mlp", new Chain(new Dense(channels, channels, true), Activation.leakyRelu(), new Dense(channels, out, true)));
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        return mlp.trace(new Shape(input.get(0), channels), cost);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray pooled = x.reshape(x.getShape().get(0), channels, -1).mean(new int[] {2});
        return mlp.apply(pass, pooled);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String pooled = g.reshape(g.node("GlobalAveragePool", x), 0, channels);
        g.shape(pooled, new Shape(g.shape(x).get(0), channels));
        return mlp.export(g, pooled);
    }
}
