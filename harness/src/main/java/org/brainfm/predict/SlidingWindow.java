package org.brainfm.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.brainfm.volume.PatchSampler;
import org.brainfm.volume.Volume;

/**
 * Sliding-window inference over a whole (preprocessed) volume with a model of a fixed patch
 * size. Windows tile each axis with at least the requested overlap, spread evenly from edge to
 * edge as nnU-Net places them; an axis shorter than the patch gets one window centred on it,
 * padded with 0 (the background of z-scored images).
 *
 * <p>Dense outputs are blended with a Gaussian importance map (sigma = {@code sigmaScale} x
 * patch per axis, nnU-Net's 1/8 by default), so voxels near a window's centre count more than
 * those at its edges; the result is sum(w x out) / sum(w) per voxel. Global outputs are kept per
 * window; {@link #classify} averages their log-probabilities, {@link #regress} takes their
 * median (the FOMO25 winner's choices).
 */
public final class SlidingWindow {
    public static final double DEFAULT_SIGMA_SCALE = 1.0 / 8;
    public static final int DEFAULT_BATCH = 2;

    private final double overlap;
    private final double sigmaScale;
    private final int batch;

    /**
     * @param overlap    share of a patch that neighbouring windows at least share, in [0, 1)
     * @param sigmaScale the Gaussian's sigma as a share of the patch extent, > 0
     * @param batch      windows per model call
     */
    public SlidingWindow(double overlap, double sigmaScale, int batch) {
        if (!(overlap >= 0 && overlap < 1)) {
            throw new IllegalArgumentException("overlap must be in [0, 1), got " + overlap);
        }
        if (!(sigmaScale > 0) || Double.isInfinite(sigmaScale)) {
            throw new IllegalArgumentException("sigma scale must be positive, got " + sigmaScale);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        this.overlap = overlap;
        this.sigmaScale = sigmaScale;
        this.batch = batch;
    }

    /** Windows overlapping by at least {@code overlap}, with the default blending and batch. */
    public static SlidingWindow withOverlap(double overlap) {
        return new SlidingWindow(overlap, DEFAULT_SIGMA_SCALE, DEFAULT_BATCH);
    }

    public double overlap() {
        return overlap;
    }

    /**
     * Window starts along one axis: a single centred window (negative start: padding) when the
     * extent is at most the patch; else the fewest windows whose step is at most
     * patch x (1 - overlap), first at 0, last ending at the extent, evenly spaced (rounded).
     */
    public static int[] starts(int extent, int patch, double overlap) {
        if (extent <= patch) {
            return new int[] {-((patch - extent) / 2)};
        }
        double step = Math.max(1, patch * (1 - overlap));
        int windows = (int) Math.ceil((extent - patch) / step) + 1;
        double actual = (double) (extent - patch) / (windows - 1);
        int[] s = new int[windows];
        for (int i = 0; i < windows; i++) {
            s[i] = (int) Math.round(i * actual);
        }
        return s;
    }

    /**
     * The Gaussian importance map of a patch (x fastest): exp(-d^2 / (2 sigma^2)) summed over the
     * axes, d the distance from the patch centre ((n - 1) / 2) in voxels, sigma = scale x n per
     * axis; 1 at the centre, positive everywhere.
     */
    public static float[] gaussian(int[] patch, double sigmaScale) {
        double[][] axis = new double[3][];
        for (int a = 0; a < 3; a++) {
            axis[a] = new double[patch[a]];
            double centre = (patch[a] - 1) / 2.0;
            double sigma = sigmaScale * patch[a];
            for (int i = 0; i < patch[a]; i++) {
                double d = i - centre;
                axis[a][i] = Math.exp(-d * d / (2 * sigma * sigma));
            }
        }
        float[] w = new float[patch[0] * patch[1] * patch[2]];
        int o = 0;
        for (int z = 0; z < patch[2]; z++) {
            for (int y = 0; y < patch[1]; y++) {
                double yz = axis[1][y] * axis[2][z];
                for (int x = 0; x < patch[0]; x++) {
                    w[o++] = (float) Math.max(axis[0][x] * yz, Float.MIN_NORMAL);
                }
            }
        }
        return w;
    }

    /** The start voxels (x, y, z) of every window over a volume of the given extents, x fastest. */
    public List<int[]> windows(int[] extent, int[] patch) {
        int[][] s = new int[3][];
        for (int a = 0; a < 3; a++) {
            s[a] = starts(extent[a], patch[a], overlap);
        }
        List<int[]> all = new ArrayList<>();
        for (int z : s[2]) {
            for (int y : s[1]) {
                for (int x : s[0]) {
                    all.add(new int[] {x, y, z});
                }
            }
        }
        return all;
    }

    /**
     * A dense model's output over the whole of {@code image} (3D, or 4D with one frame per
     * channel), Gaussian-blended: one frame per output, on the image's grid.
     */
    public Volume dense(PatchModel model, Volume image) {
        requireFits(model, image, true);
        int[] patch = model.patch();
        int[] extent = {image.nx(), image.ny(), image.nz()};
        int voxels = extent[0] * extent[1] * extent[2];
        int k = model.outputs();
        float[] gauss = gaussian(patch, sigmaScale);
        double[] sum = new double[voxels * k];
        double[] weight = new double[voxels];
        forEachBatch(model, image, (starts, out) -> {
            int pv = patch[0] * patch[1] * patch[2];
            for (int n = 0; n < starts.size(); n++) {
                int[] lo = starts.get(n);
                for (int z = Math.max(0, -lo[2]); z < patch[2] && lo[2] + z < extent[2]; z++) {
                    for (int y = Math.max(0, -lo[1]); y < patch[1] && lo[1] + y < extent[1]; y++) {
                        int row = patch[0] * (y + patch[1] * z);
                        int target = extent[0] * (lo[1] + y + extent[1] * (lo[2] + z));
                        for (int x = Math.max(0, -lo[0]); x < patch[0] && lo[0] + x < extent[0]; x++) {
                            int p = row + x;
                            int v = target + lo[0] + x;
                            float w = gauss[p];
                            weight[v] += w;
                            for (int c = 0; c < k; c++) {
                                sum[c * voxels + v] += w * out[(n * k + c) * pv + p];
                            }
                        }
                    }
                }
            }
        });
        float[] blended = new float[voxels * k];
        for (int c = 0; c < k; c++) {
            for (int v = 0; v < voxels; v++) {
                blended[c * voxels + v] = (float) (sum[c * voxels + v] / weight[v]);
            }
        }
        int[] shape = k == 1 ? extent : new int[] {extent[0], extent[1], extent[2], k};
        return new Volume(shape, blended, image.affine());
    }

    /** A global model's output vector for every window over {@code image}, in window order. */
    public double[][] perWindow(PatchModel model, Volume image) {
        requireFits(model, image, false);
        int k = model.outputs();
        List<double[]> rows = new ArrayList<>();
        forEachBatch(model, image, (starts, out) -> {
            for (int n = 0; n < starts.size(); n++) {
                double[] r = new double[k];
                for (int c = 0; c < k; c++) {
                    r[c] = out[n * k + c];
                }
                rows.add(r);
            }
        });
        return rows.toArray(double[][]::new);
    }

    /** Class probabilities: the mean over windows of each window's log-softmax, renormalised. */
    public double[] classify(PatchModel model, Volume image) {
        double[][] logits = perWindow(model, image);
        int k = model.outputs();
        double[] mean = new double[k];
        for (double[] l : logits) {
            double[] lp = logSoftmax(l);
            for (int c = 0; c < k; c++) {
                mean[c] += lp[c] / logits.length;
            }
        }
        double[] lp = logSoftmax(mean);
        return Arrays.stream(lp).map(Math::exp).toArray();
    }

    /** Per output, the median over windows. */
    public double[] regress(PatchModel model, Volume image) {
        double[][] values = perWindow(model, image);
        double[] median = new double[model.outputs()];
        for (int c = 0; c < median.length; c++) {
            int col = c;
            double[] v = Arrays.stream(values).mapToDouble(r -> r[col]).sorted().toArray();
            int n = v.length;
            median[c] = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        }
        return median;
    }

    static double[] logSoftmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElse(0);
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        double log = max + Math.log(sum);
        return Arrays.stream(logits).map(l -> l - log).toArray();
    }

    private interface BatchSink {
        void accept(List<int[]> starts, float[] out);
    }

    private void forEachBatch(PatchModel model, Volume image, BatchSink sink) {
        int[] patch = model.patch();
        int pv = patch[0] * patch[1] * patch[2];
        int c = model.channels();
        PatchSampler sampler = new PatchSampler(image, null, patch, 0, 0f);
        List<int[]> all = windows(new int[] {image.nx(), image.ny(), image.nz()}, patch);
        for (int from = 0; from < all.size(); from += batch) {
            List<int[]> starts = all.subList(from, Math.min(all.size(), from + batch));
            float[] in = new float[starts.size() * c * pv];
            for (int n = 0; n < starts.size(); n++) {
                int[] lo = starts.get(n);
                float[] p = sampler.at(lo[0] + patch[0] / 2, lo[1] + patch[1] / 2, lo[2] + patch[2] / 2).image();
                System.arraycopy(p, 0, in, n * c * pv, c * pv);
            }
            sink.accept(starts, model.predict(in, starts.size()));
        }
    }

    private static void requireFits(PatchModel model, Volume image, boolean dense) {
        if (model.dense() != dense) {
            throw new IllegalArgumentException("a " + (model.dense() ? "dense" : "global") + " model cannot give a "
                    + (dense ? "dense map" : "per-window vector"));
        }
        if (image.nt() != model.channels()) {
            throw new IllegalArgumentException("the model takes " + model.channels() + " channels, the image has " + image.nt());
        }
    }
}
