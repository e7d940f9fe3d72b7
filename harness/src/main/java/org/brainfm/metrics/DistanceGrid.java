package org.brainfm.metrics;

import java.util.Arrays;
import java.util.Locale;
import org.brainfm.BrainfmException;

/**
 * A 3D voxel grid: extents (x fastest in the flat arrays, as in NIfTI) and voxel spacing in
 * mm. Distances are measured along the grid axes with this spacing, which is exact for any
 * affine whose columns are orthogonal (the usual case: scaling, flips, rotations).
 */
public final class DistanceGrid {
    /**
     * Two grids are the same when the shapes are equal and every entry of the affines differs
     * by at most this much (mm in the translation column, mm per voxel elsewhere).
     */
    public static final double AFFINE_TOLERANCE = 1e-3;

    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] spacing;

    public DistanceGrid(int[] shape, double[] spacing) {
        if (shape.length != 3 || spacing.length != 3) {
            throw new IllegalArgumentException("a grid has 3 extents and 3 spacings, got "
                    + Arrays.toString(shape) + " and " + Arrays.toString(spacing));
        }
        for (int a = 0; a < 3; a++) {
            if (shape[a] <= 0 || !(spacing[a] > 0) || Double.isInfinite(spacing[a])) {
                throw new IllegalArgumentException("grid extents and spacings must be positive: "
                        + Arrays.toString(shape) + " " + Arrays.toString(spacing));
            }
        }
        if ((long) shape[0] * shape[1] * shape[2] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("grid too large: " + Arrays.toString(shape));
        }
        this.nx = shape[0];
        this.ny = shape[1];
        this.nz = shape[2];
        this.spacing = spacing.clone();
    }

    public static DistanceGrid of(int nx, int ny, int nz, double sx, double sy, double sz) {
        return new DistanceGrid(new int[] {nx, ny, nz}, new double[] {sx, sy, sz});
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public int[] shape() {
        return new int[] {nx, ny, nz};
    }

    public double[] spacing() {
        return spacing.clone();
    }

    public double spacing(int axis) {
        return spacing[axis];
    }

    /** Number of voxels. */
    public int size() {
        return nx * ny * nz;
    }

    public int index(int x, int y, int z) {
        return x + nx * (y + ny * z);
    }

    /**
     * The diagonal of the field of view in mm, sqrt(sum((n_i s_i)^2)): longer than any distance
     * between two voxel centres, so it serves as the worst surface distance.
     */
    public double diagonalMm() {
        double sum = 0;
        int[] n = shape();
        for (int a = 0; a < 3; a++) {
            sum += (n[a] * spacing[a]) * (n[a] * spacing[a]);
        }
        return Math.sqrt(sum);
    }

    /** Throws unless {@code length} voxels fit this grid. */
    void requireSize(String what, int length) {
        if (length != size()) {
            throw new IllegalArgumentException(what + " has " + length + " voxels, the grid " + this + " has " + size());
        }
    }

    /**
     * Requires a prediction to lie on the reference's grid: same shape, affines equal within
     * {@link #AFFINE_TOLERANCE}. Never resamples; the error names both files.
     */
    public static void requireSame(String predName, int[] predShape, double[][] predAffine,
                                   String refName, int[] refShape, double[][] refAffine) {
        if (!Arrays.equals(predShape, refShape)) {
            throw new BrainfmException(predName, "grid " + Arrays.toString(predShape)
                    + " differs from the reference " + refName + " grid " + Arrays.toString(refShape)
                    + "; predictions must be on the reference's grid (no resampling is done)");
        }
        double worst = 0;
        int wr = 0;
        int wc = 0;
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                double d = Math.abs(predAffine[r][c] - refAffine[r][c]);
                if (!(d <= worst)) {
                    worst = d;
                    wr = r;
                    wc = c;
                }
            }
        }
        if (!(worst <= AFFINE_TOLERANCE)) {
            throw new BrainfmException(predName, String.format(Locale.ROOT,
                    "affine differs from the reference %s affine (entry [%d][%d]: %s vs %s, tolerance %s)"
                            + "; predictions must be on the reference's grid (no resampling is done)",
                    refName, wr, wc, predAffine[wr][wc], refAffine[wr][wc], AFFINE_TOLERANCE));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistanceGrid g && nx == g.nx && ny == g.ny && nz == g.nz && Arrays.equals(spacing, g.spacing);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape()) + Arrays.hashCode(spacing);
    }

    @Override
    public String toString() {
        return nx + "x" + ny + "x" + nz + " @ " + spacing[0] + "x" + spacing[1] + "x" + spacing[2] + " mm";
    }
}
