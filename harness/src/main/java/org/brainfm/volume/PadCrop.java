package org.brainfm.volume;

import java.util.Arrays;

/**
 * Padding and cropping to a fixed size, centred: along each axis an extent n becomes
 * {@code size}, padding (size - n) / 2 voxels before (rounded down) and the rest after, or
 * cropping (n - size) / 2 voxels from the start (rounded down) and the rest from the end.
 * World coordinates of the kept voxels are unchanged (the affine origin moves). The undo
 * crops the padding off and pads back what was cropped, with its fill value.
 */
public final class PadCrop {
    private PadCrop() {}

    /** The step: every volume to extents {@code size} (x, y, z), padding with {@code padValue}. */
    public static VolumeOp to(int[] size, float padValue) {
        if (size.length != 3 || Arrays.stream(size).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("size must be 3 positive extents: " + Arrays.toString(size));
        }
        int[] target = size.clone();
        return v -> {
            Grid input = Grid.of(v);
            int[] lo = start(input.shape(), target);
            Volume out = Crop.window(v, lo, target, padValue);
            Grid output = Grid.of(out);
            return new VolumeOp.Applied(out, (back, interpolation, fill) -> {
                output.requireExtent(back);
                Volume restored = Crop.window(back, new int[] {-lo[0], -lo[1], -lo[2]}, input.shape(), fill);
                return new Volume(restored.shape(), restored.data(), input.affine());
            });
        };
    }

    /** The input voxel at the result's first voxel, per axis: negative where padded. */
    static int[] start(int[] shape, int[] size) {
        int[] lo = new int[3];
        for (int a = 0; a < 3; a++) {
            int d = shape[a] - size[a];
            lo[a] = d >= 0 ? d / 2 : -((-d) / 2);
        }
        return lo;
    }
}
