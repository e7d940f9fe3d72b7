package org.brainfm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.List;

/**
 * Instance normalisation over each sample's and channel's voxels, with a learned scale and
 * shift per channel (PyTorch's InstanceNorm3d(affine=True), eps 1e-5, biased variance).
 * DJL's PyTorch engine has none, and reduces over one axis only, hence the flattening.
 */
public final class InstanceNorm3d extends Layer {
    static final float EPS = 1e-5f;
    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    public InstanceNorm3d(int channels) {
        this.channels = channels;
        this.gamma = parameter("gamma", Parameter.Type.GAMMA, Initializer.ONES, channels);
        this.beta = parameter("beta", Parameter.Type.BETA, Initializer.ZEROS, channels);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        cost.add(2L * channels, 0);
        return input;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        Shape shape = x.getShape();
        NDArray flat = x.reshape(shape.get(0), shape.get(1), -1);
        NDArray centred = flat.sub(flat.mean(new int[] {2}, true));
        NDArray variance = centred.square().mean(new int[] {2}, true);
        NDArray normed = centred.div(variance.add(EPS).sqrt()).reshape(shape);
        NDArray g = pass.value(gamma, x).reshape(1, channels, 1, 1, 1);
        NDArray b = pass.value(beta, x).reshape(1, channels, 1, 1, 1);
        return normed.mul(g).add(b);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        return g.node("InstanceNormalization", List.of(x, g.constant(gamma.getArray()), g.constant(beta.getArray())),
                OnnxGraph.attr("epsilon", EPS));
    }
}
