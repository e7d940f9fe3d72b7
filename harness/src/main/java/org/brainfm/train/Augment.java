package org.brainfm.train;

import java.util.random.RandomGenerator;

/**
 * MRI patch augmentation, all drawn from the step's generator: random flips per axis, a small
 * rotation about each axis (trilinear for images, nearest for labels, zero outside), and per
 * channel an intensity gamma, a smooth multiplicative bias field and Gaussian noise. Spatial
 * transforms are shared by every channel and the label, so co-registered contrasts stay
 * co-registered; intensity transforms are drawn per channel (each contrast its own scanner).
 *
 * <p>Patches are laid out as {@link org.brainfm.volume.PatchSampler} gives them: channel-major,
 * then z, y, x with x fastest; {@code size} is (sx, sy, sz).
 *
 * @param flip        chance of flipping each axis
 * @param rotation    chance of rotating the patch
 * @param maxDegrees  largest rotation about each axis
 * @param gamma       chance of a gamma change per channel; exponent in [gammaLow, gammaHigh]
 * @param noise       chance of Gaussian noise per channel; sigma up to {@code noiseSigma} (intensity units)
 * @param bias        chance of a bias field per channel; log-field amplitude up to {@code biasStrength}
 */
public record Augment(double flip, double rotation, double maxDegrees, double gamma, double gammaLow, double gammaHigh,
        double noise, double noiseSigma, double bias, double biasStrength) {

    /** Moderate settings for z-scored brain patches (nnU-Net-like ranges, rotations kept small). */
    public static Augment defaults() {
        return new Augment(0.5, 0.2, 10, 0.3, 0.7, 1.5, 0.15, 0.1, 0.3, 0.3);
    }

    /** Random flips per axis only: a global label (brain age) that learns under nothing more at mini (FinetuningRecipe). */
    public static Augment flipsOnly() {
        return new Augment(0.5, 0, 0, 0, 1, 1, 0, 0, 0, 0);
    }

    /** "none", "flips", "default" or "custom": the name a run's configuration records. */
    public String label() {
        return equals(none()) ? "none" : equals(flipsOnly()) ? "flips" : equals(defaults()) ? "default" : "custom";
    }

    /** No augmentation (evaluation, or tests that need the raw patch). */
    public static Augment none() {
        return new Augment(0, 0, 0, 0, 1, 1, 0, 0, 0, 0);
    }

    /** An augmented image (and label, or null). */
    public record Sample(float[] image, float[] label) {}

    public Sample apply(float[] image, float[] label, int channels, int[] size, RandomGenerator random) {
        int voxels = size[0] * size[1] * size[2];
        if (image.length != voxels * channels || (label != null && label.length != voxels)) {
            throw new IllegalArgumentException("patch of " + image.length + " values is not " + channels + " x " + voxels);
        }
        float[] img = image.clone();
        float[] lab = label == null ? null : label.clone();
        boolean[] flips = {random.nextDouble() < flip, random.nextDouble() < flip, random.nextDouble() < flip};
        if (flips[0] || flips[1] || flips[2]) {
            img = flipped(img, channels, size, flips);
            lab = lab == null ? null : flipped(lab, 1, size, flips);
        }
        if (random.nextDouble() < rotation) {
            double[][] r = rotation(Math.toRadians(maxDegrees), random);
            img = rotated(img, channels, size, r, false);
            lab = lab == null ? null : rotated(lab, 1, size, r, true);
        }
        for (int c = 0; c < channels; c++) {
            int from = c * voxels;
            if (random.nextDouble() < gamma) {
                gamma(img, from, voxels, gammaLow + (gammaHigh - gammaLow) * random.nextDouble());
            }
            if (random.nextDouble() < bias) {
                biasField(img, from, size, biasStrength, random);
            }
            if (random.nextDouble() < noise) {
                double sigma = noiseSigma * random.nextDouble();
                for (int i = from; i < from + voxels; i++) {
                    img[i] += (float) (sigma * random.nextGaussian());
                }
            }
        }
        return new Sample(img, lab);
    }

    private static float[] flipped(float[] v, int channels, int[] s, boolean[] flips) {
        float[] out = new float[v.length];
        int voxels = s[0] * s[1] * s[2];
        for (int c = 0; c < channels; c++) {
            for (int z = 0; z < s[2]; z++) {
                int sz = flips[2] ? s[2] - 1 - z : z;
                for (int y = 0; y < s[1]; y++) {
                    int sy = flips[1] ? s[1] - 1 - y : y;
                    for (int x = 0; x < s[0]; x++) {
                        int sx = flips[0] ? s[0] - 1 - x : x;
                        out[c * voxels + x + s[0] * (y + s[1] * z)] = v[c * voxels + sx + s[0] * (sy + s[1] * sz)];
                    }
                }
            }
        }
        return out;
    }

    /** A rotation by angles up to {@code max} about x, then y, then z. */
    private static double[][] rotation(double max, RandomGenerator random) {
        double[][] r = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int axis = 0; axis < 3; axis++) {
            double a = (2 * random.nextDouble() - 1) * max;
            double c = Math.cos(a);
            double s = Math.sin(a);
            int i = (axis + 1) % 3;
            int j = (axis + 2) % 3;
            double[][] g = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
            g[i][i] = c;
            g[i][j] = -s;
            g[j][i] = s;
            g[j][j] = c;
            r = multiply(g, r);
        }
        return r;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    /** Each output voxel reads the input at R^T (p - centre) + centre: the patch turned by R about its centre. */
    private static float[] rotated(float[] v, int channels, int[] s, double[][] r, boolean nearest) {
        float[] out = new float[v.length];
        int voxels = s[0] * s[1] * s[2];
        double cx = (s[0] - 1) / 2.0;
        double cy = (s[1] - 1) / 2.0;
        double cz = (s[2] - 1) / 2.0;
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    double px = x - cx;
                    double py = y - cy;
                    double pz = z - cz;
                    double qx = r[0][0] * px + r[1][0] * py + r[2][0] * pz + cx;
                    double qy = r[0][1] * px + r[1][1] * py + r[2][1] * pz + cy;
                    double qz = r[0][2] * px + r[1][2] * py + r[2][2] * pz + cz;
                    int o = x + s[0] * (y + s[1] * z);
                    for (int c = 0; c < channels; c++) {
                        out[c * voxels + o] = nearest ? nearest(v, c * voxels, s, qx, qy, qz) : trilinear(v, c * voxels, s, qx, qy, qz);
                    }
                }
            }
        }
        return out;
    }

    private static float nearest(float[] v, int from, int[] s, double x, double y, double z) {
        long ix = Math.round(x);
        long iy = Math.round(y);
        long iz = Math.round(z);
        if (ix < 0 || iy < 0 || iz < 0 || ix >= s[0] || iy >= s[1] || iz >= s[2]) {
            return 0;
        }
        return v[from + (int) (ix + s[0] * (iy + s[1] * iz))];
    }

    private static float trilinear(float[] v, int from, int[] s, double x, double y, double z) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int z0 = (int) Math.floor(z);
        double fx = x - x0;
        double fy = y - y0;
        double fz = z - z0;
        double sum = 0;
        for (int dz = 0; dz <= 1; dz++) {
            for (int dy = 0; dy <= 1; dy++) {
                for (int dx = 0; dx <= 1; dx++) {
                    int xi = x0 + dx;
                    int yi = y0 + dy;
                    int zi = z0 + dz;
                    if (xi < 0 || yi < 0 || zi < 0 || xi >= s[0] || yi >= s[1] || zi >= s[2]) {
                        continue;
                    }
                    double w = (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * (dz == 1 ? fz : 1 - fz);
                    sum += w * v[from + xi + s[0] * (yi + s[1] * zi)];
                }
            }
        }
        return (float) sum;
    }

    /** Gamma on the channel's values mapped to [0, 1] by its range, then mapped back (nnU-Net's way). */
    private static void gamma(float[] v, int from, int voxels, double exponent) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + voxels; i++) {
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        double range = max - min;
        if (!(range > 0)) {
            return;
        }
        for (int i = from; i < from + voxels; i++) {
            v[i] = (float) (min + range * Math.pow((v[i] - min) / range, exponent));
        }
    }

    /** Multiplies by exp of a random smooth field: a linear ramp plus a product of half-sines per axis. */
    private static void biasField(float[] v, int from, int[] s, double strength, RandomGenerator random) {
        double[] slope = new double[3];
        double[] phase = new double[3];
        for (int a = 0; a < 3; a++) {
            slope[a] = (2 * random.nextDouble() - 1) * strength;
            phase[a] = random.nextDouble() * Math.PI;
        }
        double curve = (2 * random.nextDouble() - 1) * strength;
        // the field is separable but for its exp: sines and ramps per axis, computed once
        double[][] t = new double[3][];
        double[][] sine = new double[3][];
        for (int a = 0; a < 3; a++) {
            t[a] = new double[s[a]];
            sine[a] = new double[s[a]];
            for (int i = 0; i < s[a]; i++) {
                t[a][i] = s[a] > 1 ? (double) i / (s[a] - 1) - 0.5 : 0;
                sine[a][i] = Math.sin(Math.PI * t[a][i] + phase[a]);
            }
        }
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                int row = from + s[0] * (y + s[1] * z);
                for (int x = 0; x < s[0]; x++) {
                    double log = slope[0] * t[0][x] + slope[1] * t[1][y] + slope[2] * t[2][z]
                            + curve * sine[0][x] * sine[1][y] * sine[2][z];
                    v[row + x] *= (float) Math.exp(log);
                }
            }
        }
    }
}
