package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import org.brainfm.model.onnx.OnnxGraph;

/** A linear map on the last axis, with optional bias; weights start as N(0, 0.02^2) as in ViTs. */
public final class Dense extends Layer {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Dense(int in, int out, boolean bias) {
        this.in = in;
        this.out = out;
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new NormalInitializer(0.02f), out, in);
        this.bias = bias ? parameter("bias", Parameter.Type.BIAS, Initializer.ZEROS, out) : null;
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        long rows = input.size() / input.get(input.dimension() - 1);
        cost.add((long) in * out + (bias == null ? 0 : out), 2L * in * out * rows);
        long[] s = input.getShape().clone();
        s[s.length - 1] = out;
        return new Shape(s);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray w = pass.value(weight, x);
        return bias == null ? Linear.linear(x, w).singletonOrThrow() : Linear.linear(x, w, pass.value(bias, x)).singletonOrThrow();
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String product = g.binary("MatMul", x, g.constant(weight.getArray().transpose()));
        return bias == null ? product : g.binary("Add", product, g.constant(bias.getArray()));
    }
}
