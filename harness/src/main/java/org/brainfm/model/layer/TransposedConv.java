package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.List;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * A transposed convolution whose kernel equals its stride r (r = 2: the U-Nets' 2x upsampling;
 * r = patch: a ViT's patch decoder, i.e. a linear map of each token to r^3 x C voxels).
 * DJL's PyTorch engine has no transposed 3D convolution, so it runs as a 1^3 convolution to
 * r^3 x C channels followed by a 3D pixel shuffle. The weight keeps PyTorch's ConvTranspose3d
 * layout (Cin, Cout, r, r, r) and the ONNX graph uses the ConvTranspose operator itself.
 */
public final class TransposedConv extends Layer {
    private final int in;
    private final int out;
    private final int r;
    private final Parameter weight;
    private final Parameter bias;

    public TransposedConv(int in, int out, int r) {
        this.in = in;
        this.out = out;
        this.r = r;
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new XavierInitializer(), in, out, r, r, r);
        this.bias = parameter("bias", Parameter.Type.BIAS, Initializer.ZEROS, out);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        long r3 = (long) r * r * r;
        cost.add(in * out * r3 + out, 2L * in * out * r3 * voxels(input) * input.get(0));
        return new Shape(input.get(0), out, input.get(2) * r, input.get(3) * r, input.get(4) * r);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long d = s.get(2);
        long h = s.get(3);
        long w = s.get(4);
        NDArray kernel = pass.value(weight, x).transpose(1, 2, 3, 4, 0).reshape((long) out * r * r * r, in, 1, 1, 1);
        NDArray y = Conv.conv3d(x, kernel, null, 1, 0);
        NDArray shuffled = y.reshape(b, out, r, r, r, d, h, w)
                .transpose(0, 1, 5, 2, 6, 3, 7, 4)
                .reshape(b, out, d * r, h * r, w * r);
        return shuffled.add(pass.value(bias, x).reshape(1, out, 1, 1, 1));
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        return g.node("ConvTranspose", List.of(x, g.constant(weight.getArray()), g.constant(bias.getArray())),
                OnnxGraph.attr("kernel_shape", r, r, r), OnnxGraph.attr("strides", r, r, r));
    }
}
