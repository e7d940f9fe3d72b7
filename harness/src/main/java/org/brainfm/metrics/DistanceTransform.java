package org.brainfm.metrics;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact Euclidean distance transform on an anisotropic grid, in linear time: the separable
 * algorithm of Felzenszwalb and Huttenlocher (lower envelope of parabolas), one pass per
 * axis, each pass run over its lines in parallel.
 */
public final class DistanceTransform {
    private DistanceTransform() {}

    /**
     * Squared distance in mm^2 from the centre of every voxel to the centre of the nearest
     * feature voxel ({@code features[i]} true); +infinity everywhere when there is none.
     */
    public static double[] squared(boolean[] features, DistanceGrid grid) {
        grid.requireSize("features", features.length);
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        double[] d = new double[features.length];
        double sx = grid.spacing(0);
        double sy = grid.spacing(1);
        double sz = grid.spacing(2);
        // Along x and then y, slice by slice: a z slice is independent of the others.
        IntStream.range(0, nz).parallel().forEach(z -> {
            Envelope env = new Envelope(Math.max(nx, ny));
            int slice = z * nx * ny;
            for (int y = 0; y < ny; y++) {
                int row = slice + y * nx;
                for (int x = 0; x < nx; x++) {
                    env.f[x] = features[row + x] ? 0 : Double.POSITIVE_INFINITY;
                }
                env.transform(nx, sx);
                System.arraycopy(env.out, 0, d, row, nx);
            }
            for (int x = 0; x < nx; x++) {
                for (int y = 0; y < ny; y++) {
                    env.f[y] = d[slice + y * nx + x];
                }
                env.transform(ny, sy);
                for (int y = 0; y < ny; y++) {
                    d[slice + y * nx + x] = env.out[y];
                }
            }
        });
        // Along z, one xz plane at a time, copied into a z-contiguous buffer so each line is read
        // sequentially rather than with a stride of a whole slice.
        int plane = nx * ny;
        IntStream.range(0, ny).parallel().forEach(y -> {
            Envelope env = new Envelope(nz);
            double[] buf = new double[nx * nz];
            for (int z = 0; z < nz; z++) {
                int row = z * plane + y * nx;
                for (int x = 0; x < nx; x++) {
                    buf[x * nz + z] = d[row + x];
                }
            }
            for (int x = 0; x < nx; x++) {
                System.arraycopy(buf, x * nz, env.f, 0, nz);
                env.transform(nz, sz);
                System.arraycopy(env.out, 0, buf, x * nz, nz);
            }
            for (int z = 0; z < nz; z++) {
                int row = z * plane + y * nx;
                for (int x = 0; x < nx; x++) {
                    d[row + x] = buf[x * nz + z];
                }
            }
        });
        return d;
    }

    /** One line's scratch space: input heights, output, and the envelope's sites and bounds. */
    private static final class Envelope {
        final double[] f;
        final double[] out;
        final int[] site;
        final double[] from;

        Envelope(int n) {
            f = new double[n];
            out = new double[n];
            site = new int[n];
            from = new double[n + 1];
        }

        /**
         * out[q] = min over p of ((q - p) s)^2 + f[p] for q, p in [0, n): the lower envelope of
         * the parabolas rooted at the finite f[p], evaluated at every sample.
         */
        void transform(int n, double s) {
            int k = -1;
            for (int q = 0; q < n; q++) {
                if (f[q] == Double.POSITIVE_INFINITY) {
                    continue;
                }
                double pq = q * s;
                double hq = f[q] + pq * pq;
                if (k < 0) {
                    k = 0;
                    site[0] = q;
                    from[0] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double cross;
                while (true) {
                    int r = site[k];
                    double pr = r * s;
                    // Where the parabola of q starts to lie below that of r.
                    cross = (hq - (f[r] + pr * pr)) / (2 * (pq - pr));
                    if (cross <= from[k]) {
                        k--; // never past 0: from[0] is -infinity
                    } else {
                        break;
                    }
                }
                k++;
                site[k] = q;
                from[k] = cross;
            }
            if (k < 0) {
                Arrays.fill(out, 0, n, Double.POSITIVE_INFINITY);
                return;
            }
            from[k + 1] = Double.POSITIVE_INFINITY;
            int j = 0;
            for (int q = 0; q < n; q++) {
                double pq = q * s;
                while (from[j + 1] < pq) {
                    j++;
                }
                double dp = pq - site[j] * s;
                out[q] = dp * dp + f[site[j]];
            }
        }
    }
}
