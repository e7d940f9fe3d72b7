package org.brainfm.volume;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Resampling onto another voxel grid, trilinear or nearest, by world coordinates: each output
 * voxel centre is mapped through the two affines to a (fractional) input voxel position and
 * the input is read there.
 *
 * <p>Edges: a volume covers its voxels, i.e. positions from -0.5 to n - 0.5 along each axis.
 * A position inside that range but beyond the outermost voxel centres reads the edge value
 * (clamped, as scipy's {@code mode='nearest'}); a position outside it gets the fill value.
 *
 * <p>Grid for a target spacing ({@link #gridWithSpacing}): along each axis the new extent is
 * {@code m = max(1, round(n * spacing / target))}, the voxel size is exactly the target, and
 * the new voxel centres are centred on the old field of view: new voxel i' lies at old
 * position {@code (i' - (m - 1) / 2) * target / spacing + (n - 1) / 2}. The new grid thus
 * covers the old field of view to within half a new voxel at each end, all its centres lie
 * inside it, and resampling to the volume's own spacing is the identity. (nnU-Net instead
 * keeps the field of view exact and lets the true voxel size deviate from the target by up
 * to a factor (m +- 0.5) / m; here the affine always tells the true size.)
 *
 * <p>Cost: axis-aligned mappings (the case for spacing changes and for grids that differ by
 * scale and shift) use per-axis precomputed indices and weights; any other affine is mapped
 * voxel by voxel. Output slices are computed in parallel.
 */
public final class Resample {
    /** Slack, in voxels, on the field-of-view edge test, for affines that went through floats. */
    private static final double EDGE = 1e-6;

    private Resample() {}

    /** The step: to {@code spacing} mm (x, y, z) on the grid of {@link #gridWithSpacing}; its undo resamples back. */
    public static VolumeOp toSpacing(Interpolation interpolation, double... spacing) {
        checkSpacing(spacing);
        double[] target = spacing.clone();
        return v -> {
            Grid input = Grid.of(v);
            Spaced spaced = spaced(input, target);
            // the voxel-to-voxel map straight from the construction, free of affine round-off
            Volume out = sample(v, spaced.grid(), spaced.toInput(), interpolation, 0f);
            return new VolumeOp.Applied(out, (back, backInterpolation, fill) -> onto(back, input, backInterpolation, fill));
        };
    }

    /** The grid with voxel size {@code spacing} mm over {@code grid}'s field of view (see the class comment). */
    public static Grid gridWithSpacing(Grid grid, double... spacing) {
        checkSpacing(spacing);
        return spaced(grid, spacing).grid();
    }

    /** A grid with a target spacing and the map from its voxel indices to the original grid's. */
    private record Spaced(Grid grid, double[][] toInput) {}

    private static Spaced spaced(Grid grid, double[] spacing) {
        int[] n = grid.shape();
        double[] old = grid.spacing();
        int[] m = new int[3];
        double[][] toOld = new double[4][4];
        toOld[3][3] = 1;
        long voxels = 1;
        for (int a = 0; a < 3; a++) {
            double ratio = spacing[a] / old[a];
            long extent = Math.max(1, Math.round(n[a] / ratio));
            voxels *= extent;
            if (voxels > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("spacing " + Arrays.toString(spacing) + " mm would make a grid of "
                        + voxels + "+ voxels from " + Arrays.toString(n) + " at " + Arrays.toString(old) + " mm");
            }
            m[a] = (int) extent;
            toOld[a][a] = ratio;
            toOld[a][3] = (n[a] - 1) / 2.0 - ratio * (m[a] - 1) / 2.0;
        }
        return new Spaced(new Grid(m, Affines.multiply(grid.affine(), toOld)), toOld);
    }

    /**
     * {@code v} (every frame) sampled at the voxel centres of {@code target}; {@code fill}
     * where they fall outside v's field of view.
     */
    public static Volume onto(Volume v, Grid target, Interpolation interpolation, float fill) {
        return sample(v, target, Affines.multiply(Affines.invert(v.affine()), target.affine()), interpolation, fill);
    }

    /** v sampled on target, whose voxel (i, j, k) lies at v's voxel position map @ (i, j, k, 1). */
    private static Volume sample(Volume v, Grid target, double[][] map, Interpolation interpolation, float fill) {
        int[] m = target.shape();
        int frames = v.nt();
        long total = (long) target.voxels() * frames;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("target grid " + Arrays.toString(m) + " x " + frames + " frames is too large");
        }
        float[] out = new float[(int) total];
        Sampler sampler = isAxisAligned(map)
                ? new Separable(v, m, map, interpolation, fill, out)
                : new General(v, m, map, interpolation, fill, out);
        IntStream.range(0, frames * m[2]).parallel().forEach(s -> sampler.slice(s / m[2], s % m[2]));
        return target.volume(out, frames);
    }

    private static boolean isAxisAligned(double[][] map) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (r != c && Math.abs(map[r][c]) > 1e-9 * Math.abs(map[c][c])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void checkSpacing(double[] spacing) {
        if (spacing.length != 3 || Arrays.stream(spacing).anyMatch(s -> !(s > 0) || !Double.isFinite(s))) {
            throw new IllegalArgumentException("spacing must be 3 positive mm values, got " + Arrays.toString(spacing));
        }
    }

    /** Fills one output slice (frame t, output z) at a time. */
    private abstract static class Sampler {
        final float[] src;
        final int[] n;
        final int[] m;
        final int frameIn;
        final int frameOut;
        final boolean linear;
        final float fill;
        final float[] out;

        Sampler(Volume v, int[] m, Interpolation interpolation, float fill, float[] out) {
            this.src = v.data();
            this.n = new int[] {v.nx(), v.ny(), v.nz()};
            this.m = m;
            this.frameIn = n[0] * n[1] * n[2];
            this.frameOut = m[0] * m[1] * m[2];
            this.linear = interpolation == Interpolation.LINEAR;
            this.fill = fill;
            this.out = out;
        }

        abstract void slice(int t, int z);
    }

    /**
     * Axis-aligned mapping: along each output axis, the input voxels below and above (as flat
     * offsets) and the weight of the upper one, or -1 where the position is outside.
     */
    private static final class Separable extends Sampler {
        private final int[][] lower = new int[3][];
        private final int[][] upper = new int[3][];
        private final double[][] weight = new double[3][];

        Separable(Volume v, int[] m, double[][] map, Interpolation interpolation, float fill, float[] out) {
            super(v, m, interpolation, fill, out);
            int stride = 1;
            for (int a = 0; a < 3; a++) {
                lower[a] = new int[m[a]];
                upper[a] = new int[m[a]];
                weight[a] = new double[m[a]];
                for (int i = 0; i < m[a]; i++) {
                    double x = map[a][a] * i + map[a][3];
                    if (x < -0.5 - EDGE || x > n[a] - 0.5 + EDGE) {
                        lower[a][i] = -1;
                        continue;
                    }
                    if (!linear) {
                        lower[a][i] = stride * nearest(x, n[a]);
                        continue;
                    }
                    double clamped = Math.min(Math.max(x, 0), n[a] - 1);
                    int below = Math.min((int) clamped, n[a] - 1);
                    int above = Math.min(below + 1, n[a] - 1);
                    lower[a][i] = stride * below;
                    upper[a][i] = stride * above;
                    weight[a][i] = clamped - below;
                }
                stride *= n[a];
            }
        }

        @Override
        void slice(int t, int z) {
            int o = t * frameOut + z * m[0] * m[1];
            int z0 = lower[2][z];
            if (z0 < 0) {
                Arrays.fill(out, o, o + m[0] * m[1], fill);
                return;
            }
            int base = t * frameIn;
            int[] xs0 = lower[0];
            int[] xs1 = upper[0];
            double[] wxs = weight[0];
            for (int y = 0; y < m[1]; y++, o += m[0]) {
                int y0 = lower[1][y];
                if (y0 < 0) {
                    Arrays.fill(out, o, o + m[0], fill);
                    continue;
                }
                if (!linear) {
                    int row = base + z0 + y0;
                    for (int x = 0; x < m[0]; x++) {
                        int x0 = xs0[x];
                        out[o + x] = x0 < 0 ? fill : src[row + x0];
                    }
                    continue;
                }
                int z1 = upper[2][z];
                int y1 = upper[1][y];
                double wy = weight[1][y];
                double wz = weight[2][z];
                int r00 = base + z0 + y0;
                int r01 = base + z0 + y1;
                int r10 = base + z1 + y0;
                int r11 = base + z1 + y1;
                for (int x = 0; x < m[0]; x++) {
                    int x0 = xs0[x];
                    if (x0 < 0) {
                        out[o + x] = fill;
                        continue;
                    }
                    int x1 = xs1[x];
                    double wx = wxs[x];
                    double c00 = src[r00 + x0] + wx * (src[r00 + x1] - src[r00 + x0]);
                    double c01 = src[r01 + x0] + wx * (src[r01 + x1] - src[r01 + x0]);
                    double c10 = src[r10 + x0] + wx * (src[r10 + x1] - src[r10 + x0]);
                    double c11 = src[r11 + x0] + wx * (src[r11 + x1] - src[r11 + x0]);
                    double c0 = c00 + wy * (c01 - c00);
                    double c1 = c10 + wy * (c11 - c10);
                    out[o + x] = (float) (c0 + wz * (c1 - c0));
                }
            }
        }
    }

    /** Any other affine: each output voxel's input position computed on its own. */
    private static final class General extends Sampler {
        private final double[][] map;

        General(Volume v, int[] m, double[][] map, Interpolation interpolation, float fill, float[] out) {
            super(v, m, interpolation, fill, out);
            this.map = map;
        }

        @Override
        void slice(int t, int z) {
            int o = t * frameOut + z * m[0] * m[1];
            int base = t * frameIn;
            double[] p = new double[3];
            int[] lo = new int[3];
            int[] step = new int[3];
            double[] w = new double[3];
            for (int y = 0; y < m[1]; y++) {
                for (int x = 0; x < m[0]; x++, o++) {
                    boolean inside = true;
                    for (int a = 0; a < 3; a++) {
                        p[a] = map[a][0] * x + map[a][1] * y + map[a][2] * z + map[a][3];
                        inside &= p[a] >= -0.5 - EDGE && p[a] <= n[a] - 0.5 + EDGE;
                    }
                    if (!inside) {
                        out[o] = fill;
                    } else if (!linear) {
                        out[o] = src[base + nearest(p[0], n[0]) + n[0] * (nearest(p[1], n[1]) + n[1] * nearest(p[2], n[2]))];
                    } else {
                        out[o] = trilinear(base, p, lo, step, w);
                    }
                }
            }
        }

        /** The trilinear value at p; lo, step and w are scratch space. */
        private float trilinear(int base, double[] p, int[] lo, int[] step, double[] w) {
            int stride = 1;
            for (int a = 0; a < 3; a++) {
                double c = Math.min(Math.max(p[a], 0), n[a] - 1);
                int below = Math.min((int) c, n[a] - 1);
                w[a] = c - below;
                step[a] = below < n[a] - 1 ? stride : 0;
                lo[a] = below * stride;
                stride *= n[a];
            }
            int r00 = base + lo[0] + lo[1] + lo[2];
            int r01 = r00 + step[1];
            int r10 = r00 + step[2];
            int r11 = r10 + step[1];
            int dx = step[0];
            double c00 = src[r00] + w[0] * (src[r00 + dx] - src[r00]);
            double c01 = src[r01] + w[0] * (src[r01 + dx] - src[r01]);
            double c10 = src[r10] + w[0] * (src[r10 + dx] - src[r10]);
            double c11 = src[r11] + w[0] * (src[r11 + dx] - src[r11]);
            double c0 = c00 + w[1] * (c01 - c00);
            double c1 = c10 + w[1] * (c11 - c10);
            return (float) (c0 + w[2] * (c1 - c0));
        }
    }

    /** The nearest voxel index to position x (ties up), clamped into 0..n-1. */
    private static int nearest(double x, int n) {
        return (int) Math.min(Math.max(Math.floor(x + 0.5), 0), n - 1);
    }
}
