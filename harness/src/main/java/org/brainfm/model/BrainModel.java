package org.brainfm.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;

/** A whole network as built from a card: runs on DJL, counts itself, exports itself to ONNX. */
public interface BrainModel extends Block {
    /** Channels of the input tensor (B, C, X, Y, Z): contrasts stacked or passed one by one. */
    int inChannels();

    /** Names of the outputs, in the order forward returns them and ONNX declares them. */
    List<String> outputNames();

    /** Parameters and forward FLOPs for one input of {@code input}'s shape (see {@link Cost}). */
    Cost cost(Shape input);

    /** Writes the network into {@code graph} from input value {@code x}; returns its outputs. */
    List<String> exportOnnx(OnnxGraph graph, String x);
}
