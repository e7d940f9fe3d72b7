package org.brainfm.web;

import java.util.Map;
import org.brainfm.records.Family;

/**
 * One entry on the overall board: who, its family and size, the compute measured over all its
 * runs (and the compute its model card claims, when it states one), its position, its mean
 * task rank, and its rank in each task (absent: not scored there, counted as last).
 */
public record OverallStanding(long entryId, String team, String entry, Family family, boolean baseline, Long parameters,
        Compute compute, Double claimedGpuHours, int position, double meanRank, Map<String, Double> taskRanks) {
    /** The task rank, NaN where the entry was not scored on the task. */
    public double taskRank(String task) {
        Double r = taskRanks.get(task);
        return r == null ? Double.NaN : r;
    }

    /** True when the card's claimed GPU-hours differ from the measured ones by more than rounding. */
    public boolean claimDiffers() {
        return claimedGpuHours != null && Math.abs(claimedGpuHours - compute.gpuHours()) > 0.005 * Math.max(1, claimedGpuHours);
    }
}
