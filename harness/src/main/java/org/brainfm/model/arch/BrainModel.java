package org.brainfm.model.arch;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.onnx.OnnxWritable;

/** A whole network as built from a card: runs on DJL, counts itself, exports itself to ONNX. */
public interface BrainModel extends Block, OnnxWritable {
    /** Channels of the input tensor (B, C, X, Y, Z): contrasts stacked or passed one by one. */
    int inChannels();

    /** Parameters and forward FLOPs for one input of {@code input}'s shape (see {@link Cost}). */
    Cost cost(Shape input);
}
