package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * nnU-Net's residual block (BasicBlockD): conv-norm-act, conv-norm, plus a skip path that
 * average-pools when the block strides and projects (1^3 conv without bias, norm) when the
 * width changes; LeakyReLU after the sum.
 */
public final class ResidualBlock extends Layer {
    private final Chain body;
    private final Chain skip;

    public ResidualBlock(int in, int out, int stride) {
        body = addChildBlock("body", new Chain(
                Chain.convBlock(in, out, stride),
                Conv.k3(out, out, 1),
                new InstanceNorm3d(out)));
        Chain path = new Chain();
        if (stride > 1) {
            path.add(Pool3d.average(stride));
        }
        if (in != out) {
            path.add(new Conv(in, out, 1, 1, 0, false)).add(new InstanceNorm3d(out));
        }
        skip = addChildBlock("skip", path);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        skip.trace(input, cost);
        return body.trace(input, cost);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray sum = body.apply(pass, x).add(skip.apply(pass, x));
        return ai.djl.nn.Activation.leakyRelu(sum, Nonlinearity.LEAKY_SLOPE);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String sum = g.binary("Add", body.export(g, x), skip.export(g, x));
        return g.node("LeakyRelu", sum, OnnxGraph.attr("alpha", Nonlinearity.LEAKY_SLOPE));
    }
}
