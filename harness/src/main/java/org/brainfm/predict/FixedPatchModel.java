package org.brainfm.predict;

import ai.djl.ndarray.types.Shape;

/** What both engines' patch models share: the fixed patch, channels, outputs and kind of output. */
abstract class FixedPatchModel implements PatchModel {
    private final int[] patch;
    private final int channels;
    private final int outputs;
    private final boolean dense;

    FixedPatchModel(int[] patch, int channels, int outputs, boolean dense) {
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

    /** The input tensor's shape for {@code count} patches: (N, C, z, y, x). */
    Shape inputShape(int count) {
        return new Shape(count, channels, patch[2], patch[1], patch[0]);
    }
}
