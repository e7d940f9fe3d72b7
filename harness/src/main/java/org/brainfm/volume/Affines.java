package org.brainfm.volume;

/** 4x4 affine arithmetic for the preprocessing ops (last row 0 0 0 1 throughout). */
final class Affines {
    private Affines() {}

    static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 4; k++) {
                double s = 0;
                for (int i = 0; i < 4; i++) {
                    s += a[r][i] * b[i][k];
                }
                c[r][k] = s;
            }
        }
        return c;
    }

    /** The inverse of an affine whose 3x3 part is invertible (a voxel grid always is). */
    static double[][] invert(double[][] a) {
        double a00 = a[0][0], a01 = a[0][1], a02 = a[0][2];
        double a10 = a[1][0], a11 = a[1][1], a12 = a[1][2];
        double a20 = a[2][0], a21 = a[2][1], a22 = a[2][2];
        double c00 = a11 * a22 - a12 * a21;
        double c01 = a02 * a21 - a01 * a22;
        double c02 = a01 * a12 - a02 * a11;
        double det = a00 * c00 + a10 * c01 + a20 * c02;
        if (det == 0 || !Double.isFinite(det)) {
            throw new IllegalArgumentException("affine is singular");
        }
        double[][] m = {
            {c00 / det, c01 / det, c02 / det, 0},
            {(a12 * a20 - a10 * a22) / det, (a00 * a22 - a02 * a20) / det, (a02 * a10 - a00 * a12) / det, 0},
            {(a10 * a21 - a11 * a20) / det, (a01 * a20 - a00 * a21) / det, (a00 * a11 - a01 * a10) / det, 0},
            {0, 0, 0, 1},
        };
        for (int r = 0; r < 3; r++) {
            m[r][3] = -(m[r][0] * a[0][3] + m[r][1] * a[1][3] + m[r][2] * a[2][3]);
        }
        return m;
    }

    /** The affine that maps voxel (i, j, k) to voxel (i + offset[0], j + offset[1], k + offset[2]) of {@code a}. */
    static double[][] shifted(double[][] a, int[] offset) {
        double[][] s = Volume.copy(a);
        for (int r = 0; r < 3; r++) {
            s[r][3] = a[r][3] + a[r][0] * offset[0] + a[r][1] * offset[1] + a[r][2] * offset[2];
        }
        return s;
    }
}
