package org.brainfm.metrics;

/**
 * One case's segmentation scores: Dice, NSD at {@code toleranceMm}, HD95 in mm, and the
 * foreground voxel counts they came from. Each score carries its flag.
 */
public record SegmentationScores(Score dice, Score nsd, Score hd95, long predVoxels, long refVoxels, double toleranceMm) {
    /** The first flag that is not OK among the three scores, or OK. */
    public Flag flag() {
        for (Score s : new Score[] {dice, nsd, hd95}) {
            if (s.flag() != Flag.OK) {
                return s.flag();
            }
        }
        return Flag.OK;
    }
}
