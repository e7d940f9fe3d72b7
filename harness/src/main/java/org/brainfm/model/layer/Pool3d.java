package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import org.brainfm.model.onnx.OnnxGraph;

/** Max or average pooling with a cubic window equal to its stride. */
public final class Pool3d extends Layer {
    private final int size;
    private final boolean max;

    private Pool3d(int size, boolean max) {
        this.size = size;
        this.max = max;
    }

    public static Pool3d max(int size) {
        return new Pool3d(size, true);
    }

    public static Pool3d average(int size) {
        return new Pool3d(size, false);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        long[] s = input.getShape().clone();
        for (int i = 2; i < 5; i++) {
            s[i] /= size;
        }
        return new Shape(s);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        if (size == 1) {
            return x;
        }
        Shape window = new Shape(size, size, size);
        return max
                ? Pool.maxPool3d(x, window, window, new Shape(0, 0, 0), false)
                : Pool.avgPool3d(x, window, window, new Shape(0, 0, 0), false, true);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        if (size == 1) {
            return g.node("Identity", x);
        }
        return g.node(max ? "MaxPool" : "AveragePool", x,
                OnnxGraph.attr("kernel_shape", size, size, size), OnnxGraph.attr("strides", size, size, size));
    }
}
