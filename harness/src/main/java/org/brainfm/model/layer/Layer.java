package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * A one-input, one-output building block that can do three things with the same structure:
 * run forward on DJL, count its parameters and FLOPs for a given input shape, and write
 * itself into an ONNX graph. Every parameter has a fixed shape from construction on, so the
 * block initialises without shape inference.
 */
public abstract class Layer extends ModelBlock {
    /** The output shape for {@code input}; adds this layer's parameters and FLOPs to {@code cost}. */
    public abstract Shape trace(Shape input, Cost cost);

    public abstract NDArray apply(Pass pass, NDArray x);

    /** Writes the nodes computing this layer from value {@code x}; returns the output's name. */
    protected abstract String onnx(OnnxGraph graph, String x);

    /** Writes this layer and records the output's shape, which later layers read. */
    public final String export(OnnxGraph graph, String x) {
        String out = onnx(graph, x);
        graph.shape(out, trace(graph.shape(x), new Cost()));
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(new Pass(store, training), inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {trace(inputShapes[0], new Cost())};
    }

    protected final Parameter parameter(String name, Parameter.Type type, Initializer init, long... shape) {
        return addParameter(Parameter.builder().setName(name).setType(type).optInitializer(init).optShape(new Shape(shape)).build());
    }

    static long voxels(Shape s) {
        return s.get(2) * s.get(3) * s.get(4);
    }
}
