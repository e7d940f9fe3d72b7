package org.brainfm.volume;

import java.util.SplittableRandom;

/** Small volumes and affines for the preprocessing tests; affine entries are float-exact so a NIfTI round trip keeps them. */
final class TestVolumes {
    private TestVolumes() {}

    /** An affine whose voxel axes point as {@code code} says ("LPI": i to Left, j to Posterior, k to Inferior). */
    static double[][] affine(String code, double[] spacing, double[] origin) {
        double[][] a = new double[4][4];
        a[3][3] = 1;
        for (int c = 0; c < 3; c++) {
            char letter = code.charAt(c);
            int row = "RLAPSI".indexOf(letter) / 2;
            double sign = "RAS".indexOf(letter) >= 0 ? 1 : -1;
            a[row][c] = (float) (sign * spacing[c]);
        }
        for (int r = 0; r < 3; r++) {
            a[r][3] = (float) origin[r];
        }
        return a;
    }

    /** {@code base} rotated by {@code degrees} about the world axis (ax, ay, az), entries rounded to float. */
    static double[][] rotated(double[][] base, double degrees, double ax, double ay, double az) {
        double norm = Math.sqrt(ax * ax + ay * ay + az * az);
        double x = ax / norm;
        double y = ay / norm;
        double z = az / norm;
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        double t = 1 - c;
        double[][] rot = {
            {t * x * x + c, t * x * y - s * z, t * x * z + s * y, 0},
            {t * x * y + s * z, t * y * y + c, t * y * z - s * x, 0},
            {t * x * z - s * y, t * y * z + s * x, t * z * z + c, 0},
            {0, 0, 0, 1},
        };
        double[][] a = Affines.multiply(rot, base);
        for (double[] row : a) {
            for (int i = 0; i < 4; i++) {
                row[i] = (float) row[i];
            }
        }
        return a;
    }

    /** Uniform random values in [0, scale). */
    static float[] random(int n, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) (r.nextDouble() * scale);
        }
        return d;
    }

    /** 0, 1, 2, ...: every voxel's value names its flat index. */
    static float[] indices(int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = i;
        }
        return d;
    }

    static int product(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
