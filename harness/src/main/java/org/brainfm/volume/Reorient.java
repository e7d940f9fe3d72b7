package org.brainfm.volume;

import java.util.Arrays;

/**
 * Reorientation to RAS, the closest canonical orientation as nibabel's
 * {@code as_closest_canonical} defines it: voxel axes are only permuted and flipped (no
 * resampling) so that i, j, k point as nearly as possible to Right, Anterior, Superior, and
 * the affine changes so that every voxel centre keeps its world coordinates. Which world axis
 * each voxel axis points to comes from {@link Orientation#axes}, which follows nibabel's rule.
 * Frames of a 4D volume are kept in order.
 */
public final class Reorient {
    private Reorient() {}

    /** The step: to RAS; its undo restores the input's axis order and affine. */
    public static VolumeOp toRas() {
        return v -> {
            int[][] axes = Orientation.axes(v.affine());
            int[] perm = new int[3];
            boolean[] flip = new boolean[3];
            for (int c = 0; c < 3; c++) {
                perm[axes[c][0]] = c;
                flip[axes[c][0]] = axes[c][1] < 0;
            }
            Grid input = Grid.of(v);
            if (Arrays.equals(perm, new int[] {0, 1, 2}) && !flip[0] && !flip[1] && !flip[2]) {
                return new VolumeOp.Applied(v, VolumeOp.Undo.NOTHING);
            }
            Volume out = permute(v, perm, flip);
            int[] inverse = new int[3];
            boolean[] inverseFlip = new boolean[3];
            for (int r = 0; r < 3; r++) {
                inverse[perm[r]] = r;
                inverseFlip[perm[r]] = flip[r];
            }
            Grid output = Grid.of(out);
            return new VolumeOp.Applied(out, (back, interpolation, fill) -> {
                output.requireExtent(back);
                Volume restored = permute(back, inverse, inverseFlip);
                return new Volume(restored.shape(), restored.data(), input.affine());
            });
        };
    }

    /**
     * Axis r of the result is axis {@code perm[r]} of {@code v}, reversed where {@code flip[r]};
     * the affine follows so world coordinates of voxel centres are unchanged.
     */
    static Volume permute(Volume v, int[] perm, boolean[] flip) {
        int[] shape = v.shape();
        int[] stride = {1, shape[0], shape[0] * shape[1]};
        int[] outShape = shape.clone();
        int[] step = new int[3];
        int base = 0;
        double[][] toInput = new double[4][4];
        toInput[3][3] = 1;
        for (int r = 0; r < 3; r++) {
            int c = perm[r];
            outShape[r] = shape[c];
            step[r] = flip[r] ? -stride[c] : stride[c];
            toInput[c][r] = flip[r] ? -1 : 1;
            if (flip[r]) {
                base += (shape[c] - 1) * stride[c];
                toInput[c][3] = shape[c] - 1;
            }
        }
        float[] src = v.data();
        float[] dst = new float[src.length];
        int voxels = shape[0] * shape[1] * shape[2];
        int o = 0;
        for (int t = 0; t < v.nt(); t++) {
            int frame = base + t * voxels;
            for (int z = 0; z < outShape[2]; z++) {
                for (int y = 0; y < outShape[1]; y++) {
                    int s = frame + z * step[2] + y * step[1];
                    for (int x = 0; x < outShape[0]; x++, s += step[0]) {
                        dst[o++] = src[s];
                    }
                }
            }
        }
        return new Volume(outShape, dst, Affines.multiply(v.affine(), toInput));
    }
}
