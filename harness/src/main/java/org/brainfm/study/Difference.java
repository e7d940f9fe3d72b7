package org.brainfm.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.PermutationTest;
import org.brainfm.metrics.Summary;
import org.brainfm.metrics.TaskScores;
import org.brainfm.metrics.TaskType;

/**
 * Entry A minus entry B on one metric over the test cases both were scored on, with a paired
 * bootstrap 95 % interval (resample the shared cases, recompute both entries' metric, take the
 * difference) and a paired two-sided permutation p-value (a per-case metric: sign flip of the
 * per-case differences; a metric of the whole set: the two entries' predictions swapped on a
 * random half of the cases). docs/metrics.md, "Comparing two entries".
 *
 * @param value     A minus B on the shared cases (NaN when there is none)
 * @param low       2.5th percentile of the paired bootstrap (NaN when untested)
 * @param high      97.5th percentile
 * @param p         permutation p-value, Phipson-Smyth; NaN when untested
 * @param pAdjusted p after Holm's correction over its family (the tasks); p until corrected
 * @param cases     shared cases the difference is over
 * @param unpaired  cases only one of the two was scored on, left out
 * @param untested  why there is no test (too few shared cases, no stored references); null when tested
 */
public record Difference(Metric metric, double value, double low, double high, double p, double pAdjusted, int cases,
        int unpaired, int permutations, int resamples, long seed, String untested) {
    /** Below this many shared cases no two-sided test can reach p < 0.05 (2 / 2^5 > 0.05), so none is run. */
    public static final int MIN_CASES = 6;
    /** The level of a verdict, after Holm's correction. */
    public static final double ALPHA = 0.05;

    /** Tested, the interval excludes 0, and the corrected p is below {@link #ALPHA}. */
    public boolean significant() {
        return untested == null && (low > 0 || high < 0) && pAdjusted < ALPHA;
    }

    /** Significant and in A's favour (by the metric's direction). */
    public boolean firstBetter() {
        return significant() && metric.better(value, 0);
    }

    /** Significant and in B's favour. */
    public boolean secondBetter() {
        return significant() && metric.better(0, value);
    }

    public Difference adjusted(double holm) {
        return new Difference(metric, value, low, high, p, holm, cases, unpaired, permutations, resamples, seed, untested);
    }

    /** "CI [a, b], p = x" with the interval and the corrected p, or why there is no test. */
    public String evidence() {
        if (untested != null) {
            return "not tested: " + untested;
        }
        return "95 % CI [" + metric.format(low) + ", " + metric.format(high) + "], "
                + (pAdjusted == p ? "p = " + p(p) : "Holm-adjusted p = " + p(pAdjusted) + " (p = " + p(p) + ")");
    }

    /** The verdict in words: who is better, or that the data do not say. */
    public String verdict(String a, String b) {
        if (firstBetter()) {
            return a + " is better (" + evidence() + ")";
        }
        if (secondBetter()) {
            return b + " is better (" + evidence() + ")";
        }
        return untested != null ? "no verdict (" + evidence() + ")" : "no significant difference (" + evidence() + ")";
    }

    static String p(double p) {
        return String.format(Locale.ROOT, "%.2g", p);
    }

    /** A minus B on {@code metric}, from the two entries' case values on one task. */
    public static Difference of(TaskType type, Metric metric, CaseValues a, CaseValues b, int resamples,
            int permutations, long seed) {
        Set<String> all = new TreeSet<>(a.values().keySet());
        all.addAll(b.values().keySet());
        List<String> shared = new ArrayList<>();
        for (String id : all) {
            if (a.values().containsKey(id) && b.values().containsKey(id)) {
                shared.add(id);
            }
        }
        int unpaired = all.size() - shared.size();
        boolean perCase = CaseValues.source(type, metric).equals(metric.key());
        return perCase ? perCase(metric, a, b, shared, unpaired, resamples, permutations, seed)
                : wholeSet(type, metric, a, b, shared, unpaired, resamples, permutations, seed);
    }

    /** Means of per-case values: cases undefined for either side are left out (as from each mean). */
    private static Difference perCase(Metric metric, CaseValues a, CaseValues b, List<String> shared, int unpaired,
            int resamples, int permutations, long seed) {
        List<String> defined = shared.stream()
                .filter(id -> !Double.isNaN(a.values().get(id)) && !Double.isNaN(b.values().get(id))).toList();
        double[] x = defined.stream().mapToDouble(a.values()::get).toArray();
        double[] y = defined.stream().mapToDouble(b.values()::get).toArray();
        int n = x.length;
        double value = n == 0 ? Double.NaN : mean(x, null) - mean(y, null);
        if (n < MIN_CASES) {
            return untested(metric, value, n, unpaired, permutations, resamples, seed,
                    n + " shared cases with a value on both sides (a test needs " + MIN_CASES + ")");
        }
        Summary ci = Bootstrap.statistic(n, idx -> mean(x, idx) - mean(y, idx), resamples, seed);
        PermutationTest.Result test = PermutationTest.signFlip(x, y, permutations, seed);
        return new Difference(metric, value, ci.low(), ci.high(), test.pValue(), test.pValue(), n, unpaired,
                permutations, resamples, seed, null);
    }

    /** A metric of the whole set (AUROC, accuracy, MAE, r): recomputed from predictions and references. */
    private static Difference wholeSet(TaskType type, Metric metric, CaseValues a, CaseValues b, List<String> shared,
            int unpaired, int resamples, int permutations, long seed) {
        if (shared.isEmpty()) {
            return untested(metric, Double.NaN, 0, unpaired, permutations, resamples, seed,
                    "no case has a recorded prediction from both");
        }
        long noTruth = shared.stream().filter(id -> !a.truth().containsKey(id) && !b.truth().containsKey(id)).count();
        if (noTruth > 0) {
            return untested(metric, Double.NaN, shared.size(), unpaired, permutations, resamples, seed, noTruth
                    + " shared cases have no stored reference (scored before records schema 7: score again to compare)");
        }
        double[] truth = shared.stream().mapToDouble(id -> a.truth().getOrDefault(id, b.truth().get(id))).toArray();
        double[] x = shared.stream().mapToDouble(a.values()::get).toArray();
        double[] y = shared.stream().mapToDouble(b.values()::get).toArray();
        int n = shared.size();
        TaskScores both = scores(type, metric, truth, new double[][] {x, y});
        int m = both.metrics().indexOf(metric);
        double[][] all = both.values();
        double value = all[0][m] - all[1][m];
        if (n < MIN_CASES) {
            return untested(metric, value, n, unpaired, permutations, resamples, seed,
                    n + " shared cases (a test needs " + MIN_CASES + ")");
        }
        Summary ci = Bootstrap.statistic(n, idx -> {
            double[][] v = both.values(idx);
            return v[0][m] - v[1][m];
        }, resamples, seed);
        PermutationTest.Result test = PermutationTest.swap(x, y,
                pred -> scores(type, metric, truth, new double[][] {pred}).values()[0][m], permutations, seed);
        return new Difference(metric, value, ci.low(), ci.high(), test.pValue(), test.pValue(), n, unpaired,
                permutations, resamples, seed, Double.isNaN(value) ? metric.label() + " is undefined on these cases" : null);
    }

    private static TaskScores scores(TaskType type, Metric metric, double[] truth, double[][] predictions) {
        List<String> names = predictions.length == 1 ? List.of("a") : List.of("a", "b");
        return type == TaskType.CLASSIFICATION
                ? TaskScores.classification("pair", names, truth, predictions, List.of(metric))
                : TaskScores.regression("pair", names, truth, predictions);
    }

    private static Difference untested(Metric metric, double value, int cases, int unpaired, int permutations,
            int resamples, long seed, String why) {
        return new Difference(metric, value, Double.NaN, Double.NaN, Double.NaN, Double.NaN, cases, unpaired,
                permutations, resamples, seed, why);
    }

    private static double mean(double[] v, int[] idx) {
        double sum = 0;
        int n = idx == null ? v.length : idx.length;
        for (int i = 0; i < n; i++) {
            sum += v[idx == null ? i : idx[i]];
        }
        return sum / n;
    }
}
