package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.brainfm.model.layer.Chain;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Dense;
import org.brainfm.model.layer.Layer;
import org.brainfm.model.layer.Nonlinearity;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * Classification or regression on a token map (the ViTs): the global average of each channel,
 * then Linear-LeakyReLU-Linear. U-Nets pool every stage instead ({@link StagePoolHead}): their
 * deepest map comes out of instance normalisation, which leaves a channel's average all but the
 * same for every case (docs/protocol.md).
 */
public final class PoolHead extends Layer {
    private final int channels;
    private final Chain mlp;

    public PoolHead(int channels, int out) {
        this.channels = channels;
        mlp = addChildBlock("mlp", new Chain(new Dense(channels, channels, true), Nonlinearity.leakyRelu(), new Dense(channels, out, true)));
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        return mlp.trace(new Shape(input.get(0), channels), cost);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        return mlp.apply(pass, x.reshape(x.getShape().get(0), channels, -1).mean(new int[] {2}));
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String pooled = g.reshape(g.node("GlobalAveragePool", x), 0, channels);
        g.shape(pooled, new Shape(g.shape(x).get(0), channels));
        return mlp.export(g, pooled);
    }
}
