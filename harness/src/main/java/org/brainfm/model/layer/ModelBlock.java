package org.brainfm.model.layer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;

/**
 * Base of this package's blocks. Every parameter gets its shape at construction, so children
 * initialise without shape inference: they receive the parent's input shapes unchanged.
 */
public abstract class ModelBlock extends AbstractBlock {
    protected ModelBlock() {
        super((byte) 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }
}
