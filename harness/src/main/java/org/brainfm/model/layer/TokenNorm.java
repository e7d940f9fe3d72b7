package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.Initializer;
import java.util.List;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * LayerNorm over the last axis (tokens' features) or, with {@code channelsFirst}, over the
 * channel axis of a 5-D map (the "LayerNormNd" of Primus's decoder).
 */
public final class TokenNorm extends Layer {
    private final int dim;
    private final float eps;
    private final boolean channelsFirst;
    private final Parameter gamma;
    private final Parameter beta;

    public TokenNorm(int dim, float eps, boolean channelsFirst) {
        this.dim = dim;
        this.eps = eps;
        this.channelsFirst = channelsFirst;
        this.gamma = parameter("gamma", Parameter.Type.GAMMA, Initializer.ONES, dim);
        this.beta = parameter("beta", Parameter.Type.BETA, Initializer.ZEROS, dim);
    }

    public TokenNorm(int dim, float eps) {
        this(dim, eps, false);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        cost.add(2L * dim, 0);
        return input;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray in = channelsFirst ? x.transpose(0, 2, 3, 4, 1) : x;
        NDArray y = LayerNorm.layerNorm(in, new Shape(dim), pass.value(gamma, x), pass.value(beta, x), eps).singletonOrThrow();
        return channelsFirst ? y.transpose(0, 4, 1, 2, 3) : y;
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String in = channelsFirst ? g.transpose(x, 0, 2, 3, 4, 1) : x;
        String y = g.node("LayerNormalization", List.of(in, g.constant(gamma.getArray()), g.constant(beta.getArray())),
                OnnxGraph.attr("axis", -1L), OnnxGraph.attr("epsilon", eps));
        return channelsFirst ? g.transpose(y, 0, 4, 1, 2, 3) : y;
    }
}
