package org.brainfm.volume;

import java.util.Arrays;

/**
 * Cropping to a box and pasting back. Cropped voxels keep their world coordinates: the
 * affine's origin moves to the box's first voxel. The undo pastes onto the input grid with
 * the fill value outside the box.
 */
public final class Crop {
    private Crop() {}

    /**
     * The step: crop to the {@linkplain BoundingBox#nonzero nonzero box} plus {@code margin}
     * voxels. To crop a label map like its image, compute the box on the image and use {@link #to}.
     */
    public static VolumeOp toNonzero(int margin) {
        if (margin < 0) {
            throw new IllegalArgumentException("margin must be >= 0, got " + margin);
        }
        return v -> to(BoundingBox.nonzero(v, margin)).run(v);
    }

    /** The step: crop to {@code box}, which must lie inside the volume. */
    public static VolumeOp to(BoundingBox box) {
        return v -> {
            Grid input = Grid.of(v);
            Volume out = crop(v, box);
            Grid output = Grid.of(out);
            return new VolumeOp.Applied(out, (back, interpolation, fill) -> {
                output.requireExtent(back);
                return paste(back, input, box, fill);
            });
        };
    }

    public static Volume crop(Volume v, BoundingBox box) {
        int[] hi = box.hi();
        if (hi[0] > v.nx() || hi[1] > v.ny() || hi[2] > v.nz() || Arrays.stream(box.lo()).anyMatch(l -> l < 0)) {
            throw new IllegalArgumentException("box " + box + " reaches outside the volume " + Arrays.toString(v.shape()));
        }
        return window(v, box.lo(), box.size(), 0f);
    }

    /** {@code cropped} (cut from {@code original} by {@code box}) put back in place; {@code fill} elsewhere. */
    public static Volume paste(Volume cropped, Grid original, BoundingBox box, float fill) {
        int[] lo = box.lo();
        Volume back = window(cropped, new int[] {-lo[0], -lo[1], -lo[2]}, original.shape(), fill);
        return new Volume(back.shape(), back.data(), original.affine());
    }

    /**
     * The block of {@code size} voxels whose first voxel is voxel {@code lo} of {@code v}; it
     * may reach past the volume's edges (lo negative, or beyond the end), where it holds
     * {@code fill}. All frames alike; world coordinates preserved.
     */
    static Volume window(Volume v, int[] lo, int[] size, float fill) {
        int voxels = size[0] * size[1] * size[2];
        float[] out = new float[voxels * v.nt()];
        int[] shape = {v.nx(), v.ny(), v.nz()};
        int frame = shape[0] * shape[1] * shape[2];
        for (int t = 0; t < v.nt(); t++) {
            copyWindow(v.data(), t * frame, shape, lo, size, fill, out, t * voxels);
        }
        int[] outShape = v.shape().length == 3 ? size.clone() : new int[] {size[0], size[1], size[2], v.nt()};
        return new Volume(outShape, out, Affines.shifted(v.affine(), lo));
    }

    /**
     * Copies the window ({@code lo}, {@code size}) of the 3D block at {@code src[srcOffset]}
     * (extents {@code shape}, x fastest) to {@code dst[dstOffset]}, {@code fill} outside the block.
     */
    static void copyWindow(float[] src, int srcOffset, int[] shape, int[] lo, int[] size, float fill, float[] dst, int dstOffset) {
        int nx = shape[0];
        int xFrom = Math.max(0, lo[0]);
        int xTo = Math.min(nx, lo[0] + size[0]);
        int inRow = Math.max(0, xTo - xFrom);
        int before = inRow == 0 ? size[0] : xFrom - lo[0];
        int o = dstOffset;
        for (int z = 0; z < size[2]; z++) {
            int sz = lo[2] + z;
            for (int y = 0; y < size[1]; y++, o += size[0]) {
                int sy = lo[1] + y;
                if (sz < 0 || sz >= shape[2] || sy < 0 || sy >= shape[1] || inRow == 0) {
                    Arrays.fill(dst, o, o + size[0], fill);
                    continue;
                }
                Arrays.fill(dst, o, o + before, fill);
                System.arraycopy(src, srcOffset + xFrom + nx * (sy + shape[1] * sz), dst, o + before, inRow);
                Arrays.fill(dst, o + before + inRow, o + size[0], fill);
            }
        }
    }
}
