package org.brainfm.metrics;

/**
 * Dice, normalised surface distance (NSD) and HD95 of a predicted mask against a reference
 * on the reference's grid. Edge cases (docs/metrics.md): both empty scores Dice 1, NSD 1,
 * HD95 0 (flag both_empty); one empty scores Dice 0, NSD 0, HD95 the grid's diagonal
 * (the worst value); a missing or invalid prediction scores the worst values too.
 */
public final class SegmentationMetrics {
    /** The NSD tolerance used when none is given, in mm. */
    public static final double DEFAULT_TOLERANCE_MM = 2.0;

    private SegmentationMetrics() {}

    /** Dice = 2 |A and B| / (|A| + |B|); 1 when both are empty. */
    public static double dice(boolean[] a, boolean[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("masks differ in size: " + a.length + " vs " + b.length);
        }
        long na = 0;
        long nb = 0;
        long both = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i]) {
                na++;
                if (b[i]) {
                    both++;
                }
            }
            if (b[i]) {
                nb++;
            }
        }
        return na + nb == 0 ? 1.0 : 2.0 * both / (na + nb);
    }

    public static SegmentationScores score(boolean[] pred, boolean[] ref, DistanceGrid grid) {
        return score(pred, ref, grid, DEFAULT_TOLERANCE_MM);
    }

    public static SegmentationScores score(boolean[] pred, boolean[] ref, DistanceGrid grid, double toleranceMm) {
        grid.requireSize("prediction", pred.length);
        grid.requireSize("reference", ref.length);
        if (!(toleranceMm >= 0) || Double.isInfinite(toleranceMm)) {
            throw new IllegalArgumentException("NSD tolerance must be a finite number >= 0 mm, got " + toleranceMm);
        }
        long np = Masks.count(pred);
        long nr = Masks.count(ref);
        if (np == 0 && nr == 0) {
            return new SegmentationScores(new Score(1, Flag.BOTH_EMPTY), new Score(1, Flag.BOTH_EMPTY),
                    new Score(0, Flag.BOTH_EMPTY), 0, 0, toleranceMm);
        }
        if (np == 0 || nr == 0) {
            return worst(grid, np == 0 ? Flag.EMPTY_PREDICTION : Flag.EMPTY_REFERENCE, np, nr, toleranceMm);
        }
        SurfaceDistances d = SurfaceDistances.between(pred, ref, grid);
        return new SegmentationScores(Score.of(dice(pred, ref)), Score.of(d.nsd(toleranceMm)), Score.of(d.hd95()),
                np, nr, toleranceMm);
    }

    /** The scores of a case with no prediction: worst values, flag missing. */
    public static SegmentationScores missing(boolean[] ref, DistanceGrid grid, double toleranceMm) {
        return worst(grid, Flag.MISSING, 0, Masks.count(ref), toleranceMm);
    }

    /** The scores of a case whose prediction is unusable (NaN voxels): worst values, flag invalid. */
    public static SegmentationScores invalid(boolean[] ref, DistanceGrid grid, double toleranceMm) {
        return worst(grid, Flag.INVALID, 0, Masks.count(ref), toleranceMm);
    }

    /** The worst HD95 on a grid: its diagonal in mm, longer than any real boundary distance. */
    public static double worstHd95(DistanceGrid grid) {
        return grid.diagonalMm();
    }

    private static SegmentationScores worst(DistanceGrid grid, Flag flag, long np, long nr, double toleranceMm) {
        return new SegmentationScores(new Score(0, flag), new Score(0, flag), new Score(worstHd95(grid), flag),
                np, nr, toleranceMm);
    }
}
