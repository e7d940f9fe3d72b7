package org.brainfm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Classification or regression: the global average and the global maximum of each channel of a
 * feature map, concatenated, then Linear-LeakyReLU-Linear. The maximum is there because the map
 * comes out of instance normalisation, which leaves a channel's average all but the same for
 * every case: with the average alone a mini U-Net predicted one age for all (docs/protocol.md).
 */
public final class PoolHead extends Layer {
    private final int channels;
    private final Chain mlp;

    public PoolHead(int channels, int out) {
        this.channels = channels;
        mlp = addChildBlock("mlp", new Chain(new Dense(2 * channels, channels, true), Activation.leakyRelu(), new Dense(channels, out, true)));
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        return mlp.trace(new Shape(input.get(0), 2L * channels), cost);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray flat = x.reshape(x.getShape().get(0), channels, -1);
        return mlp.apply(pass, flat.mean(new int[] {2}).concat(flat.max(new int[] {2}), 1));
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String both = g.node("Concat", List.of(g.node("GlobalAveragePool", x), g.node("GlobalMaxPool", x)), OnnxGraph.attr("axis", 1L));
        String pooled = g.reshape(both, 0, 2L * channels);
        g.shape(pooled, new Shape(g.shape(x).get(0), 2L * channels));
        return mlp.export(g, pooled);
    }
}
