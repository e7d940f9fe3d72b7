package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.onnx.OnnxGraph;

/** Conv3d with a cubic kernel, equal stride on every axis, "same"-style padding and optional bias. */
public final class Conv extends Layer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int pad;
    private final Parameter weight;
    private final Parameter bias;

    public Conv(int in, int out, int kernel, int stride, int pad, boolean bias) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new XavierInitializer(), out, in, kernel, kernel, kernel);
        this.bias = bias ? parameter("bias", Parameter.Type.BIAS, Initializer.ZEROS, out) : null;
    }

    /** A 3^3 convolution with padding 1 and bias, the U-Nets' workhorse. */
    public static Conv k3(int in, int out, int stride) {
        return new Conv(in, out, 3, stride, 1, true);
    }

    /** A 1^3 convolution with bias. */
    public static Conv pointwise(int in, int out) {
        return new Conv(in, out, 1, 1, 0, true);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        long[] s = input.getShape();
        long[] o = {s[0], out, 0, 0, 0};
        for (int i = 2; i < 5; i++) {
            o[i] = (s[i] + 2L * pad - kernel) / stride + 1;
        }
        Shape output = new Shape(o);
        long k3 = (long) kernel * kernel * kernel;
        cost.add((long) in * out * k3 + (bias == null ? 0 : out), 2L * in * out * k3 * voxels(output) * s[0]);
        return output;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray b = bias == null ? null : pass.value(bias, x);
        return Conv3d.conv3d(x, pass.value(weight, x), b, new Shape(stride, stride, stride), new Shape(pad, pad, pad), new Shape(1, 1, 1), 1)
                .singletonOrThrow();
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        List<String> inputs = new ArrayList<>(List.of(x, g.constant(weight.getArray())));
        if (bias != null) {
            inputs.add(g.constant(bias.getArray()));
        }
        return g.node("Conv", inputs,
                OnnxGraph.attr("kernel_shape", kernel, kernel, kernel),
                OnnxGraph.attr("strides", stride, stride, stride),
                OnnxGraph.attr("pads", pad, pad, pad, pad, pad, pad));
    }
}
