package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Layer;
import org.brainfm.model.layer.ModelBlock;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.onnx.OnnxGraph;

/** A head: the encoder's feature maps (shallowest first) in, one output out. */
public abstract class Decoder extends ModelBlock {
    public abstract NDArray decode(Pass pass, NDList features);

    public abstract Shape trace(Shape[] features, Cost cost);

    public abstract String export(OnnxGraph graph, List<String> features);

    /** A head that reads only the deepest feature map through {@code layer}. */
    public static Decoder onDeepest(Layer layer) {
        return new Deepest(layer);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(decode(new Pass(store, training), inputs));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {trace(inputShapes, new Cost())};
    }

    private static final class Deepest extends Decoder {
        private final Layer layer;

        Deepest(Layer layer) {
            this.layer = addChildBlock("head", layer);
        }

        @Override
        public NDArray decode(Pass pass, NDList features) {
            return layer.apply(pass, features.get(features.size() - 1));
        }

        @Override
        public Shape trace(Shape[] features, Cost cost) {
            return layer.trace(features[features.length - 1], cost);
        }

        @Override
        public String export(OnnxGraph g, List<String> features) {
            return layer.export(g, features.get(features.size() - 1));
        }
    }
}
