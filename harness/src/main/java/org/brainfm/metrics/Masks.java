package org.brainfm.metrics;

import java.util.stream.IntStream;

/** Binary masks from the arrays a reader or a model produces. */
public final class Masks {
    private Masks() {}

    /** Nonzero voxels are foreground. */
    public static boolean[] of(byte[] values) {
        boolean[] m = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            m[i] = values[i] != 0;
        }
        return m;
    }

    /** Nonzero voxels are foreground (NaN counts as nonzero; check {@link #hasNaN} first). */
    public static boolean[] foreground(float[] values) {
        boolean[] m = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            m[i] = values[i] != 0;
        }
        return m;
    }

    /** Voxels equal to {@code label} are foreground. */
    public static boolean[] label(float[] values, int label) {
        boolean[] m = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            m[i] = values[i] == label;
        }
        return m;
    }

    /**
     * The index of the first voxel that is not a label of a map with {@code classes} classes (an
     * integer 0..classes), or -1 when all are.
     */
    public static int firstNonLabel(float[] values, int classes) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!(v >= 0 && v <= classes && v == Math.rint(v))) {
                return i;
            }
        }
        return -1;
    }

    public static boolean hasNaN(float[] values) {
        for (float v : values) {
            if (Float.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    public static long count(boolean[] mask) {
        long n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /**
     * The boundary of a mask: foreground voxels with at least one of their 6 face neighbours
     * in the background, where voxels outside the grid count as background. (scipy: {@code
     * mask & ~binary_erosion(mask, generate_binary_structure(3, 1), border_value=0)}.)
     */
    public static boolean[] boundary(boolean[] mask, DistanceGrid grid) {
        grid.requireSize("mask", mask.length);
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        int plane = nx * ny;
        boolean[] b = new boolean[mask.length];
        IntStream.range(0, nz).parallel().forEach(z -> {
            for (int y = 0; y < ny; y++) {
                int row = z * plane + y * nx;
                for (int x = 0; x < nx; x++) {
                    int i = row + x;
                    b[i] = mask[i] && (x == 0 || !mask[i - 1] || x == nx - 1 || !mask[i + 1]
                            || y == 0 || !mask[i - nx] || y == ny - 1 || !mask[i + nx]
                            || z == 0 || !mask[i - plane] || z == nz - 1 || !mask[i + plane]);
                }
            }
        });
        return b;
    }
}
