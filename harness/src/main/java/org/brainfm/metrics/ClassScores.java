package org.brainfm.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * One case of a multi-class segmentation: each class's Dice, NSD and HD95 (class k: the voxels
 * labelled k, k = 1..K) and their mean over the classes (docs/metrics.md, "Multi-class").
 * A class absent from both reference and prediction is undefined (NaN, as nnU-Net) and left out
 * of the mean; when every class is, the mean takes the binary convention for two empty masks
 * (Dice 1, NSD 1, HD95 0). A class absent from one side scores its worst values and counts.
 */
public record ClassScores(List<SegmentationScores> perClass, SegmentationScores mean) {
    public ClassScores {
        perClass = List.copyOf(perClass);
    }

    /**
     * Scores label maps (values 0..{@code classes}; the caller checks them) class by class on the
     * reference's grid.
     */
    public static ClassScores of(float[] pred, float[] ref, int classes, DistanceGrid grid, double toleranceMm) {
        List<SegmentationScores> per = new ArrayList<>();
        for (int k = 1; k <= classes; k++) {
            boolean[] p = Masks.label(pred, k);
            boolean[] r = Masks.label(ref, k);
            SegmentationScores s = SegmentationMetrics.score(p, r, grid, toleranceMm);
            per.add(s.flag() == Flag.BOTH_EMPTY ? undefined(toleranceMm) : s);
        }
        return new ClassScores(per, mean(per, toleranceMm));
    }

    /** A missing or invalid prediction ({@code flag}): every class and the mean at their worst. */
    public static ClassScores worst(float[] ref, int classes, DistanceGrid grid, double toleranceMm, Flag flag) {
        List<SegmentationScores> per = new ArrayList<>();
        for (int k = 1; k <= classes; k++) {
            boolean[] r = Masks.label(ref, k);
            per.add(flag == Flag.MISSING ? SegmentationMetrics.missing(r, grid, toleranceMm)
                    : SegmentationMetrics.invalid(r, grid, toleranceMm));
        }
        SegmentationScores any = per.get(0);
        return new ClassScores(per, new SegmentationScores(any.dice(), any.nsd(), any.hd95(), 0,
                per.stream().mapToLong(SegmentationScores::refVoxels).sum(), toleranceMm));
    }

    private static SegmentationScores undefined(double toleranceMm) {
        return new SegmentationScores(Score.undefined(), Score.undefined(), Score.undefined(), 0, 0, toleranceMm);
    }

    /** Means of the defined classes; the first flag among them (empty prediction or reference) carries over. */
    private static SegmentationScores mean(List<SegmentationScores> per, double toleranceMm) {
        List<SegmentationScores> defined = per.stream().filter(s -> s.dice().defined()).toList();
        if (defined.isEmpty()) {
            Score one = new Score(1, Flag.BOTH_EMPTY);
            return new SegmentationScores(one, one, new Score(0, Flag.BOTH_EMPTY), 0, 0, toleranceMm);
        }
        Flag flag = defined.stream().map(SegmentationScores::flag).filter(f -> f != Flag.OK).findFirst().orElse(Flag.OK);
        return new SegmentationScores(
                new Score(defined.stream().mapToDouble(s -> s.dice().value()).average().orElseThrow(), flag),
                new Score(defined.stream().mapToDouble(s -> s.nsd().value()).average().orElseThrow(), flag),
                new Score(defined.stream().mapToDouble(s -> s.hd95().value()).average().orElseThrow(), flag),
                per.stream().mapToLong(SegmentationScores::predVoxels).sum(),
                per.stream().mapToLong(SegmentationScores::refVoxels).sum(), toleranceMm);
    }
}
