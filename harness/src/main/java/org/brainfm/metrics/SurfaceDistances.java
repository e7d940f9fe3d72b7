package org.brainfm.metrics;

import java.util.Arrays;

/**
 * The distances in mm between the boundaries of two non-empty masks on one grid: from every
 * boundary voxel of the prediction to the nearest boundary voxel of the reference, and back
 * (boundary as {@link Masks#boundary}). Each direction is the exact distance transform of the
 * other boundary sampled at this one's voxels.
 *
 * <p>The transforms run only inside the bounding box of both masks: every boundary voxel lies
 * in it, and distances are measured between boundary voxels only, so the nearest one is
 * always inside and the result is exact.
 */
public final class SurfaceDistances {
    private final double[] predToRef;
    private final double[] refToPred;

    private SurfaceDistances(double[] predToRef, double[] refToPred) {
        this.predToRef = predToRef;
        this.refToPred = refToPred;
        Arrays.sort(this.predToRef);
        Arrays.sort(this.refToPred);
    }

    /** @throws IllegalArgumentException when either mask is empty (no boundary to measure from) */
    public static SurfaceDistances between(boolean[] pred, boolean[] ref, DistanceGrid grid) {
        grid.requireSize("prediction", pred.length);
        grid.requireSize("reference", ref.length);
        int[] box = boundingBox(pred, ref, grid);
        if (box == null) {
            throw new IllegalArgumentException("surface distances need two non-empty masks");
        }
        DistanceGrid local = DistanceGrid.of(box[3] - box[0], box[4] - box[1], box[5] - box[2],
                grid.spacing(0), grid.spacing(1), grid.spacing(2));
        boolean[] predBoundary = Masks.boundary(crop(pred, grid, box, local), local);
        boolean[] refBoundary = Masks.boundary(crop(ref, grid, box, local), local);
        return new SurfaceDistances(
                sample(DistanceTransform.squared(refBoundary, local), predBoundary),
                sample(DistanceTransform.squared(predBoundary, local), refBoundary));
    }

    /** Distances from each prediction boundary voxel to the reference boundary, ascending. */
    public double[] predToRef() {
        return predToRef.clone();
    }

    /** Distances from each reference boundary voxel to the prediction boundary, ascending. */
    public double[] refToPred() {
        return refToPred.clone();
    }

    /**
     * Normalised surface distance: the share of both boundaries' voxels that lie within
     * {@code toleranceMm} (inclusive) of the other boundary.
     */
    public double nsd(double toleranceMm) {
        long within = countAtMost(predToRef, toleranceMm) + countAtMost(refToPred, toleranceMm);
        return (double) within / (predToRef.length + refToPred.length);
    }

    /** The larger of the two directed q-th percentiles (numpy's linear interpolation). */
    public double percentileHausdorff(double q) {
        return Math.max(Stats.percentile(predToRef, q), Stats.percentile(refToPred, q));
    }

    /** HD95: {@code percentileHausdorff(95)}. */
    public double hd95() {
        return percentileHausdorff(95);
    }

    /** The Hausdorff distance: the largest of all boundary distances. */
    public double hausdorff() {
        return Math.max(predToRef[predToRef.length - 1], refToPred[refToPred.length - 1]);
    }

    private static int countAtMost(double[] sorted, double limit) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= limit) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] sample(double[] squaredDistance, boolean[] at) {
        double[] d = new double[(int) Masks.count(at)];
        int k = 0;
        for (int i = 0; i < at.length; i++) {
            if (at[i]) {
                d[k++] = Math.sqrt(squaredDistance[i]);
            }
        }
        return d;
    }

    /** {x0, y0, z0, x1, y1, z1} (ends exclusive) around every voxel of either mask, or null. */
    static int[] boundingBox(boolean[] a, boolean[] b, DistanceGrid grid) {
        int nx = grid.nx();
        int ny = grid.ny();
        int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, -1};
        int i = 0;
        for (int z = 0; z < grid.nz(); z++) {
            for (int y = 0; y < ny; y++) {
                int first = -1;
                int last = -1;
                for (int x = 0; x < nx; x++, i++) {
                    if (a[i] || b[i]) {
                        if (first < 0) {
                            first = x;
                        }
                        last = x;
                    }
                }
                if (first >= 0) {
                    box[0] = Math.min(box[0], first);
                    box[3] = Math.max(box[3], last + 1);
                    box[1] = Math.min(box[1], y);
                    box[4] = Math.max(box[4], y + 1);
                    box[2] = Math.min(box[2], z);
                    box[5] = z + 1;
                }
            }
        }
        return box[3] < 0 ? null : box;
    }

    private static boolean[] crop(boolean[] mask, DistanceGrid grid, int[] box, DistanceGrid local) {
        boolean[] c = new boolean[local.size()];
        int w = local.nx();
        for (int z = box[2]; z < box[5]; z++) {
            for (int y = box[1]; y < box[4]; y++) {
                System.arraycopy(mask, grid.index(box[0], y, z), c, local.index(0, y - box[1], z - box[2]), w);
            }
        }
        return c;
    }
}
