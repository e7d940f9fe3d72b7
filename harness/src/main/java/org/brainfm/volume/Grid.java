package org.brainfm.volume;

import java.util.Arrays;

/**
 * A spatial voxel grid: three extents (x, y, z) and the 4x4 voxel-to-world affine. What a
 * volume is sampled on, without its values; frames are not part of the grid.
 */
public record Grid(int[] shape, double[][] affine) {

    public Grid {
        if (shape.length != 3 || Arrays.stream(shape).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("grid shape must be 3 positive extents: " + Arrays.toString(shape));
        }
        if (affine.length != 4 || Arrays.stream(affine).anyMatch(r -> r.length != 4)) {
            throw new IllegalArgumentException("affine must be 4x4");
        }
        shape = shape.clone();
        affine = Volume.copy(affine);
    }

    /** The grid a volume's voxels lie on. */
    public static Grid of(Volume v) {
        return new Grid(new int[] {v.nx(), v.ny(), v.nz()}, v.affine());
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public double[][] affine() {
        return Volume.copy(affine);
    }

    /** Voxel size in mm along i, j, k: the lengths of the affine's first three columns. */
    public double[] spacing() {
        return Volume.spacing(affine);
    }

    public int voxels() {
        return shape[0] * shape[1] * shape[2];
    }

    /** World coordinates (mm) of the voxel centre (i, j, k); fractional indices allowed. */
    public double[] world(double i, double j, double k) {
        double[] w = new double[3];
        for (int r = 0; r < 3; r++) {
            w[r] = affine[r][0] * i + affine[r][1] * j + affine[r][2] * k + affine[r][3];
        }
        return w;
    }

    /** Fails unless {@code v} has this grid's extents (what an undo expects to be given). */
    void requireExtent(Volume v) {
        if (v.nx() != shape[0] || v.ny() != shape[1] || v.nz() != shape[2]) {
            throw new IllegalArgumentException("expected a volume of extent " + Arrays.toString(shape)
                    + " (the step's output grid), got " + Arrays.toString(v.shape()));
        }
    }

    /** A volume on this grid with {@code frames} frames of the given values. */
    Volume volume(float[] data, int frames) {
        int[] s = frames == 1 ? shape : new int[] {shape[0], shape[1], shape[2], frames};
        return new Volume(s, data, affine);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grid g && Arrays.equals(shape, g.shape) && Arrays.deepEquals(affine, g.affine);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.deepHashCode(affine);
    }

    @Override
    public String toString() {
        return "Grid" + Arrays.toString(shape) + " " + Arrays.deepToString(affine);
    }
}
