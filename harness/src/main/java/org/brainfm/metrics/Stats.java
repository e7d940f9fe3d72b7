package org.brainfm.metrics;

/** Small numeric helpers shared by the metrics. */
final class Stats {
    private Stats() {}

    /**
     * The q-th percentile (0..100) of ascending {@code sorted} values by linear interpolation
     * between the closest ranks, numpy's default: position q/100 (n - 1).
     */
    static double percentile(double[] sorted, double q) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        double pos = q / 100.0 * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, n - 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
