package org.brainfm.protocol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** An initialised DJL block run for inference (no gradients), each call on its own sub-manager. */
public final class DjlPatchModel implements PatchModel {
    private final Block block;
    private final NDManager manager;
    private final int[] patch;
    private final int channels;
    private final int outputs;
    private final boolean dense;

    public DjlPatchModel(Block block, NDManager manager, int[] patch, int channels, int outputs, boolean dense) {
        this.block = block;
        this.manager = manager;
        this.patch = patch.clone();
        this.channels = channels;
        this.outputs = outputs;
        this.dense = dense;
    }

    @Override
    public int[] patch() {
        return patch.clone();
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int outputs() {
        return outputs;
    }

    @Override
    public boolean dense() {
        return dense;
    }

    @Override
    public float[] predict(float[] patches, int count) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(patches, new Shape(count, channels, patch[2], patch[1], patch[0]));
            NDArray out = block.forward(new ParameterStore(step, false), new NDList(x), false).get(0);
            return out.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
