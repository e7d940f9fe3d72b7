package org.brainfm.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's results for ranking and aggregation: several entries scored on the same test
 * cases, able to recompute every metric of every entry on any resample of the cases.
 */
public final class TaskScores {
    /** Scores one entry on the given cases (indices, repeats allowed): one value per metric. */
    @FunctionalInterface
    interface Scorer {
        double[] score(int entry, int[] cases);
    }

    private final String name;
    private final List<String> entries;
    private final List<Metric> metrics;
    private final int cases;
    private final Scorer scorer;

    private TaskScores(String name, List<String> entries, List<Metric> metrics, int cases, Scorer scorer) {
        if (entries.isEmpty() || metrics.isEmpty()) {
            throw new IllegalArgumentException("task " + name + " needs entries and metrics");
        }
        this.name = name;
        this.entries = List.copyOf(entries);
        this.metrics = List.copyOf(metrics);
        this.cases = cases;
        this.scorer = scorer;
    }

    /**
     * A task whose metrics are means of per-case values (segmentation: Dice, NSD, HD95 with
     * worst values already in place for flagged cases). {@code values.get(metric)[entry][case]};
     * undefined (NaN) per-case values are left out of each mean.
     */
    public static TaskScores perCase(String name, List<String> entries, Map<Metric, double[][]> values) {
        Map<Metric, double[][]> v = new LinkedHashMap<>(values);
        int cases = -1;
        for (Map.Entry<Metric, double[][]> e : v.entrySet()) {
            if (e.getValue().length != entries.size()) {
                throw new IllegalArgumentException(e.getKey().key() + " has " + e.getValue().length
                        + " entries' values for " + entries.size() + " entries");
            }
            for (double[] row : e.getValue()) {
                if (cases >= 0 && row.length != cases) {
                    throw new IllegalArgumentException("entries of task " + name + " differ in case count");
                }
                cases = row.length;
            }
        }
        List<Metric> metrics = new ArrayList<>(v.keySet());
        return new TaskScores(name, entries, metrics, Math.max(cases, 0), (entry, idx) -> {
            double[] out = new double[metrics.size()];
            for (int m = 0; m < out.length; m++) {
                double[] row = v.get(metrics.get(m))[entry];
                double sum = 0;
                int n = 0;
                for (int i : idx) {
                    if (!Double.isNaN(row[i])) {
                        sum += row[i];
                        n++;
                    }
                }
                out[m] = n == 0 ? Double.NaN : sum / n;
            }
            return out;
        });
    }

    /**
     * A binary classification task: 0/1 labels and each entry's scores ({@code scores[entry][case]},
     * NaN for a missing or invalid prediction), scored by the given classification metrics.
     */
    public static TaskScores classification(String name, List<String> entries, double[] labels, double[][] scores,
                                      List<Metric> metrics) {
        checkRows(name, entries, scores, labels.length);
        for (double[] s : scores) {
            ClassificationMetrics.positives(s, labels);
        }
        return new TaskScores(name, entries, metrics, labels.length, (entry, idx) -> {
            ClassificationScores c = ClassificationMetrics.score(pick(scores[entry], idx), pick(labels, idx));
            return metrics.stream().mapToDouble(m -> switch (m) {
                case AUROC -> c.auroc().value();
                case ACCURACY -> c.accuracy().value();
                case BALANCED_ACCURACY -> c.balancedAccuracy().value();
                case F1 -> c.f1().value();
                case AVERAGE_PRECISION -> c.averagePrecision().value();
                default -> throw new IllegalArgumentException(m.key() + " is not a classification metric");
            }).toArray();
        });
    }

    /** A regression task: true values and each entry's predictions, scored by MAE and Pearson r. */
    public static TaskScores regression(String name, List<String> entries, double[] truth, double[][] predictions) {
        checkRows(name, entries, predictions, truth.length);
        return new TaskScores(name, entries, List.of(Metric.MAE, Metric.PEARSON_R), truth.length, (entry, idx) -> {
            RegressionScores r = RegressionMetrics.score(pick(predictions[entry], idx), pick(truth, idx));
            return new double[] {r.mae().value(), r.pearson().value()};
        });
    }

    public String name() {
        return name;
    }

    public List<String> entries() {
        return entries;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public int cases() {
        return cases;
    }

    /** Every entry's metric values on the given cases: {@code [entry][metric]}. */
    public double[][] values(int[] caseIndices) {
        double[][] out = new double[entries.size()][];
        for (int e = 0; e < out.length; e++) {
            out[e] = scorer.score(e, caseIndices);
        }
        return out;
    }

    /** Every entry's metric values on all cases. */
    public double[][] values() {
        int[] all = new int[cases];
        Arrays.setAll(all, i -> i);
        return values(all);
    }

    /** One entry's metric with its bootstrap interval over this task's cases. */
    public Summary summary(int entry, Metric metric, int resamples, long seed) {
        int m = metrics.indexOf(metric);
        if (m < 0) {
            throw new IllegalArgumentException("task " + name + " has no metric " + metric.key());
        }
        return Bootstrap.statistic(cases, idx -> scorer.score(entry, idx)[m], resamples, seed);
    }

    private static void checkRows(String name, List<String> entries, double[][] rows, int cases) {
        if (rows.length != entries.size()) {
            throw new IllegalArgumentException("task " + name + ": " + rows.length + " prediction rows for "
                    + entries.size() + " entries");
        }
        for (double[] r : rows) {
            if (r.length != cases) {
                throw new IllegalArgumentException("task " + name + ": " + r.length + " predictions for " + cases + " cases");
            }
        }
    }

    /** The values at the given indices (repeats allowed): one bootstrap resample of a case array. */
    public static double[] pick(double[] values, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }
}
