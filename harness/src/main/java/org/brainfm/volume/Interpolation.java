package org.brainfm.volume;

/** How a resampling reads values between voxel centres. */
public enum Interpolation {
    /** Trilinear: for images and probabilities. */
    LINEAR,
    /** Nearest voxel centre (ties round up): for label maps, only ever yields values present in the input. */
    NEAREST
}
