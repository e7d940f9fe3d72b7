package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.ModelBlock;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * The backbone of a network: an image (B, C, X, Y, Z) in, feature maps out, shallowest first
 * (a U-Net's stage outputs; a ViT's single token grid as (B, D, gx, gy, gz)).
 */
public abstract class Encoder extends ModelBlock {
    public abstract int inChannels();

    /** Channels of each feature map, shallowest first. */
    public abstract int[] channels();

    /** The product of strides down to the deepest feature map: patches must be multiples of it. */
    public abstract int reduction();

    public abstract NDList features(Pass pass, NDArray x);

    public abstract Shape[] trace(Shape input, Cost cost);

    public abstract List<String> export(OnnxGraph graph, String x);

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return features(new Pass(store, training), inputs.singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return trace(inputShapes[0], new Cost());
    }
}
