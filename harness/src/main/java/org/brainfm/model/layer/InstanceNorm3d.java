package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.List;
import org.brainfm.model.onnx.OnnxGraph;

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

    /**
     * libtorch's fused batch norm over (1, N*C, D, H, W) in training mode: each sample and
     * channel is its own "batch channel", which is how PyTorch computes instance norm itself. It
     * is one kernel each way where mean, variance and scaling written out took a dozen passes
     * over the largest activations. The running statistics it updates are throw-away.
     */
    @Override
    public NDArray apply(Pass pass, NDArray x) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        if (shape.size() == n * channels) {
            // one voxel per instance: centred it is exactly 0 (libtorch's batch norm refuses it)
            return x.zerosLike().add(pass.value(beta, x).reshape(1, channels, 1, 1, 1));
        }
        long instances = n * channels;
        NDManager m = x.getManager();
        NDArray folded = x.reshape(new Shape(1, instances).addAll(shape.slice(2)));
        NDArray g = pass.value(gamma, x).tile(n);
        NDArray b = pass.value(beta, x).tile(n);
        NDArray runningMean = m.zeros(new Shape(instances), x.getDataType(), x.getDevice());
        NDArray runningVar = m.ones(new Shape(instances), x.getDataType(), x.getDevice());
        return folded.getNDArrayInternal().batchNorm(folded, runningMean, runningVar, g, b, -1, 0.1f, EPS, true)
                .singletonOrThrow().reshape(shape);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        return g.node("InstanceNormalization", List.of(x, g.constant(gamma.getArray()), g.constant(beta.getArray())),
                OnnxGraph.attr("epsilon", EPS));
    }
}
