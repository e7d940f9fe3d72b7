package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.brainfm.model.layer.Chain;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Dense;
import org.brainfm.model.layer.Layer;
import org.brainfm.model.layer.Nonlinearity;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * Classification or regression: the global average of each channel of a feature map (with
 * {@code withMaximum}, the global maximum concatenated to it), then Linear-LeakyReLU-Linear.
 * The maximum is for maps that come out of instance normalisation (the U-Nets), which leaves a
 * channel's average all but the same for every case: with the average alone a mini U-Net
 * predicted one age for all (docs/protocol.md). Token maps (ViTs) keep the average alone.
 */
public final class PoolHead extends Layer {
    private final int channels;
    private final boolean withMaximum;
    private final Chain mlp;

    public PoolHead(int channels, int out, boolean withMaximum) {
        this.channels = channels;
        this.withMaximum = withMaximum;
        mlp = addChildBlock("mlp", new Chain(new Dense(pooled(), channels, true), Nonlinearity.leakyRelu(), new Dense(channels, out, true)));
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        return mlp.trace(new Shape(input.get(0), pooled()), cost);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray flat = x.reshape(x.getShape().get(0), channels, -1);
        NDArray average = flat.mean(new int[] {2});
        return mlp.apply(pass, withMaximum ? average.concat(flat.max(new int[] {2}), 1) : average);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String average = g.node("GlobalAveragePool", x);
        String both = withMaximum ? g.node("Concat", List.of(average, g.node("GlobalMaxPool", x)), OnnxGraph.attr("axis", 1L)) : average;
        String pooled = g.reshape(both, 0, pooled());
        g.shape(pooled, new Shape(g.shape(x).get(0), pooled()));
        return mlp.export(g, pooled);
    }

    /** Features the MLP reads: the channels' averages, and their maxima. */
    private int pooled() {
        return withMaximum ? 2 * channels : channels;
    }
}
