package org.brainfm.predict;

/**
 * A model as sliding-window inference sees it: a batch of patches of one fixed size in, one
 * output per patch out. Patches are laid out as tensors (N, C, z, y, x), each channel block x
 * fastest exactly as {@link org.brainfm.volume.Volume#data()}; a dense model returns (N, K, z,
 * y, x), a global one (N, K).
 */
public interface PatchModel extends AutoCloseable {
    /** The patch extents (x, y, z) the model takes. */
    int[] patch();

    /** Input channels (contrasts). */
    int channels();

    /** Outputs per voxel (dense) or per patch (global). */
    int outputs();

    /** True for a map the size of the patch (segmentation), false for one vector per patch. */
    boolean dense();

    /** Runs {@code count} patches; {@code patches} holds count x channels x voxels values. */
    float[] predict(float[] patches, int count);

    @Override
    default void close() {}
}
