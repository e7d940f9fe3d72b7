package org.brainfm.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.brainfm.tensor.Tensors;

/** An initialised DJL block run for inference (no gradients), each call on its own sub-manager. */
public final class DjlPatchModel extends FixedPatchModel {
    private final Block block;
    private final NDManager manager;

    public DjlPatchModel(Block block, NDManager manager, int[] patch, int channels, int outputs, boolean dense) {
        super(patch, channels, outputs, dense);
        this.block = block;
        this.manager = manager;
    }

    @Override
    public float[] predict(float[] patches, int count) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = Tensors.view(step, patches, inputShape(count));
            NDArray out = block.forward(new ParameterStore(step, false), new NDList(x), false).get(0);
            return out.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
