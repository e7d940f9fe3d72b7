package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
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
        return conv3d(x, pass.value(weight, x), b, stride, pad);
    }

    /**
     * Output channels are padded with zero filters to a multiple of this (the widest oneDNN CPU
     * block: 16 floats with AVX-512, 8 with AVX2) for the duration of each convolution.
     */
    static final int CHANNEL_BLOCK = 16;

    /**
     * A 3D convolution (dilation 1, one group) whose output channels are a multiple of
     * {@link #CHANNEL_BLOCK}: filters of zeros are appended to {@code w} (and zeros to {@code b})
     * and their outputs dropped again. libtorch 2.7.1's oneDNN convolution backward-data
     * (jit:avx2, jit:avx512_core; taken for batches above 1) returns a wrong input gradient when
     * the output channels are not a multiple of the ISA's block (8 with AVX2, 16 with AVX-512):
     * errors as large as the gradient itself, every call, and NaN where the blocked weights'
     * uninitialised padding holds a NaN bit pattern (nan-results: ConvCheck, NanProbe).
     */
    static NDArray conv3d(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        Shape s = w.getShape();
        long out = s.get(0);
        long extra = (CHANNEL_BLOCK - out % CHANNEL_BLOCK) % CHANNEL_BLOCK;
        NDArray weights = w;
        NDArray bias = b;
        if (extra > 0) {
            weights = w.concat(x.getManager().zeros(new Shape(extra).addAll(s.slice(1)), w.getDataType(), w.getDevice()), 0);
            bias = b == null ? null : b.concat(x.getManager().zeros(new Shape(extra), b.getDataType(), b.getDevice()), 0);
        }
        NDArray y = Conv3d.conv3d(x, weights, bias, new Shape(stride, stride, stride), new Shape(pad, pad, pad), new Shape(1, 1, 1), 1)
                .singletonOrThrow();
        return extra > 0 ? y.get(new NDIndex().addAllDim().addSliceDim(0, out)) : y;
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
