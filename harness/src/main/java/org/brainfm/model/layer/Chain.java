package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.onnx.OnnxGraph;

/** Layers applied one after the other. */
public final class Chain extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    public Chain(Layer... layers) {
        for (Layer layer : layers) {
            add(layer);
        }
    }

    public Chain add(Layer layer) {
        layers.add(addChildBlock(layer.getClass().getSimpleName(), layer));
        return this;
    }

    /** Conv 3^3 (+ bias), InstanceNorm3d (affine), LeakyReLU(0.01): the U-Nets' conv block. */
    public static Chain convBlock(int in, int out, int stride) {
        return new Chain(Conv.k3(in, out, stride), new InstanceNorm3d(out), Nonlinearity.leakyRelu());
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        Shape s = input;
        for (Layer layer : layers) {
            s = layer.trace(s, cost);
        }
        return s;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray y = x;
        for (Layer layer : layers) {
            y = layer.apply(pass, y);
        }
        return y;
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String y = x;
        for (Layer layer : layers) {
            y = layer.export(g, y);
        }
        return y;
    }
}
