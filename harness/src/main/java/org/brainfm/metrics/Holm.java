package org.brainfm.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction of p-values for a family of tests (Holm 1979): sorted ascending,
 * the i-th smallest (from 0) is multiplied by m - i, made non-decreasing along that order, and
 * capped at 1. It controls the family-wise error rate without assuming the tests independent.
 */
public final class Holm {
    private Holm() {}

    /**
     * The adjusted p-values, in the order given. An undefined (NaN) p-value is no test: it stays
     * NaN and does not count in m.
     */
    public static double[] adjust(double[] p) {
        Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        int m = order.length;
        double running = 0;
        for (int i = 0; i < m; i++) {
            running = Math.max(running, Math.min(1, (m - i) * p[order[i]]));
            out[order[i]] = running;
        }
        return out;
    }
}
