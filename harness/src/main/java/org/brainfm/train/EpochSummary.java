package org.brainfm.train;

import java.util.Map;

/**
 * One finished epoch.
 *
 * @param epoch           1-based
 * @param step            optimizer steps done over the run
 * @param loss            mean batch loss over the epoch
 * @param terms           mean of each named loss term over the epoch
 * @param learningRate    the learning rate of the epoch's last step
 * @param seconds         wall time of the epoch
 * @param voxelsPerSecond input voxels trained on per second of the epoch
 * @param residentBytes   the process's resident set at the epoch's end
 */
public record EpochSummary(int epoch, long step, double loss, Map<String, Double> terms, double learningRate,
        double seconds, double voxelsPerSecond, long residentBytes) {
    public EpochSummary {
        terms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
    }
}
