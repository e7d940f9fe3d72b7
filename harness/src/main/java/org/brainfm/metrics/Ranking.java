package org.brainfm.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * FOMO25-style ranking. Within a task each metric ranks the entries (best first, ties share
 * the best of their ranks, the "min" method); the entry's task rank is the mean of its metric
 * ranks; its overall score is the mean of its task ranks, and its position is the rank of
 * that score (again "min"). An entry whose value is undefined ranks after every defined one;
 * a metric undefined for every entry is left out of its task, and a task with no metric left
 * out of the overall mean.
 */
public final class Ranking {
    /** Mean ranks closer than this are ties. */
    private static final double TIE = 1e-9;

    private Ranking() {}

    /**
     * One entry's place.
     *
     * @param taskRanks the entry's mean metric rank in each task (NaN for a task left out)
     */
    public record Place(String entry, int position, double meanRank, double[] taskRanks) {}

    /**
     * One entry's rank stability over bootstrap resamples of every task's cases.
     *
     * @param low       2.5th percentile of its position
     * @param high      97.5th percentile of its position
     * @param frequency frequency[k] is the share of resamples that placed it at position k + 1
     */
    public record Stability(String entry, int position, double low, double high, double[] frequency) {}

    /** Ranks of the values, 1 = best; ties share the best rank; NaN ranks after every number. */
    public static int[] rank(double[] values, Metric.Direction direction) {
        int[] r = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int better = 0;
            for (double other : values) {
                if (Double.isNaN(values[i]) ? !Double.isNaN(other)
                        : !Double.isNaN(other) && (direction == Metric.Direction.HIGHER ? other > values[i] : other < values[i])) {
                    better++;
                }
            }
            r[i] = better + 1;
        }
        return r;
    }

    /** The board: one place per entry, in the tasks' entry order. */
    public static List<Place> rank(List<TaskScores> tasks) {
        List<String> entries = entries(tasks);
        List<double[][]> perTask = new ArrayList<>();
        for (TaskScores t : tasks) {
            perTask.add(t.values());
        }
        return places(entries, tasks, perTask);
    }

    /**
     * Rank stability: {@code resamples} times, resample each task's cases with replacement,
     * rescore and re-rank; report each entry's position interval and position frequencies.
     */
    public static List<Stability> stability(List<TaskScores> tasks, int resamples, long seed) {
        List<String> entries = entries(tasks);
        List<Place> board = rank(tasks);
        int n = entries.size();
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] positions = new int[n][resamples];
        for (int r = 0; r < resamples; r++) {
            List<double[][]> perTask = new ArrayList<>();
            for (TaskScores t : tasks) {
                int[] idx = new int[t.cases()];
                Bootstrap.resample(rng, idx);
                perTask.add(t.values(idx));
            }
            List<Place> p = places(entries, tasks, perTask);
            for (int e = 0; e < n; e++) {
                positions[e][r] = p.get(e).position();
            }
        }
        List<Stability> out = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            double[] sorted = Arrays.stream(positions[e]).asDoubleStream().sorted().toArray();
            int[] counts = new int[n];
            for (int p : positions[e]) {
                counts[p - 1]++;
            }
            double[] freq = Arrays.stream(counts).mapToDouble(c -> (double) c / resamples).toArray();
            out.add(new Stability(entries.get(e), board.get(e).position(), Stats.percentile(sorted, 2.5),
                    Stats.percentile(sorted, 97.5), freq));
        }
        return out;
    }

    private static List<Place> places(List<String> entries, List<TaskScores> tasks, List<double[][]> perTask) {
        int n = entries.size();
        double[][] taskRanks = new double[n][tasks.size()];
        double[] sum = new double[n];
        int usedTasks = 0;
        for (int t = 0; t < tasks.size(); t++) {
            double[][] v = perTask.get(t);
            List<Metric> metrics = tasks.get(t).metrics();
            double[] rankSum = new double[n];
            int usedMetrics = 0;
            for (int m = 0; m < metrics.size(); m++) {
                double[] column = new double[n];
                for (int e = 0; e < n; e++) {
                    column[e] = v[e][m];
                }
                if (Arrays.stream(column).allMatch(Double::isNaN)) {
                    continue;
                }
                int[] r = rank(column, metrics.get(m).direction());
                for (int e = 0; e < n; e++) {
                    rankSum[e] += r[e];
                }
                usedMetrics++;
            }
            for (int e = 0; e < n; e++) {
                taskRanks[e][t] = usedMetrics == 0 ? Double.NaN : rankSum[e] / usedMetrics;
                if (usedMetrics > 0) {
                    sum[e] += taskRanks[e][t];
                }
            }
            if (usedMetrics > 0) {
                usedTasks++;
            }
        }
        double[] mean = new double[n];
        for (int e = 0; e < n; e++) {
            mean[e] = usedTasks == 0 ? Double.NaN : sum[e] / usedTasks;
        }
        List<Place> out = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            int better = 0;
            for (double other : mean) {
                if (other < mean[e] - TIE) {
                    better++;
                }
            }
            out.add(new Place(entries.get(e), better + 1, mean[e], taskRanks[e]));
        }
        return out;
    }

    private static List<String> entries(List<TaskScores> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("nothing to rank: no tasks");
        }
        List<String> entries = tasks.get(0).entries();
        for (TaskScores t : tasks) {
            if (!t.entries().equals(entries)) {
                throw new IllegalArgumentException("task " + t.name() + " has entries " + t.entries()
                        + ", task " + tasks.get(0).name() + " has " + entries + "; every task must score the same entries");
            }
        }
        return entries;
    }
}
