package org.brainfm.volume;

import java.util.Arrays;

/**
 * A 3D or 4D image on a voxel grid: voxel values as floats (after any NIfTI scaling),
 * stored x fastest as in NIfTI, and the 4x4 affine that maps voxel indices (i, j, k)
 * to world millimetres (RAS+, as NIfTI defines it).
 */
public final class Volume {
    private final int[] shape;
    private final float[] data;
    private final double[][] affine;

    /**
     * @param shape  3 or 4 positive extents (x, y, z[, t])
     * @param data   product(shape) values, x fastest
     * @param affine 4x4 voxel-to-world matrix, last row 0 0 0 1
     */
    public Volume(int[] shape, float[] data, double[][] affine) {
        if (shape.length != 3 && shape.length != 4) {
            throw new IllegalArgumentException("shape must have 3 or 4 dimensions, got " + shape.length);
        }
        long n = 1;
        for (int s : shape) {
            if (s <= 0) {
                throw new IllegalArgumentException("shape must be positive: " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        if (affine.length != 4 || Arrays.stream(affine).anyMatch(r -> r.length != 4)) {
            throw new IllegalArgumentException("affine must be 4x4");
        }
        this.shape = shape.clone();
        this.data = data;
        this.affine = copy(affine);
    }

    /** A zero-filled volume with the same grid (and the given number of frames). */
    public static Volume zerosLike(Volume v) {
        return new Volume(v.shape, new float[v.data.length], v.affine);
    }

    /** A 3D volume with a diagonal affine of the given spacing and origin 0. */
    public static Volume of(int nx, int ny, int nz, double[] spacing, float[] data) {
        double[][] a = {
            {spacing[0], 0, 0, 0},
            {0, spacing[1], 0, 0},
            {0, 0, spacing[2], 0},
            {0, 0, 0, 1},
        };
        return new Volume(new int[] {nx, ny, nz}, data, a);
    }

    public int[] shape() {
        return shape.clone();
    }

    public int nx() {
        return shape[0];
    }

    public int ny() {
        return shape[1];
    }

    public int nz() {
        return shape[2];
    }

    /** Number of frames: 1 for a 3D volume. */
    public int nt() {
        return shape.length == 4 ? shape[3] : 1;
    }

    /** The voxel values, x fastest, frames last; shared, not copied. */
    public float[] data() {
        return data;
    }

    public double[][] affine() {
        return copy(affine);
    }

    /** Voxel size in mm along i, j, k: the lengths of the affine's first three columns. */
    public double[] spacing() {
        return spacing(affine);
    }

    /** The lengths of an affine's first three columns. */
    static double[] spacing(double[][] affine) {
        double[] s = new double[3];
        for (int c = 0; c < 3; c++) {
            s[c] = Math.sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c] + affine[2][c] * affine[2][c]);
        }
        return s;
    }

    /** Flat index of voxel (x, y, z) in frame t. */
    public int index(int x, int y, int z, int t) {
        return x + shape[0] * (y + shape[1] * (z + shape[2] * t));
    }

    public float get(int x, int y, int z) {
        return data[index(x, y, z, 0)];
    }

    public void set(int x, int y, int z, float value) {
        data[index(x, y, z, 0)] = value;
    }

    /** This volume's grid with other values (same length). */
    public Volume withData(float[] values) {
        return new Volume(shape, values, affine);
    }

    static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
