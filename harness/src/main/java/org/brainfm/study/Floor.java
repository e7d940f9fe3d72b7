package org.brainfm.study;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.BoardRow;
import org.brainfm.records.Records;
import org.brainfm.study.TaskRanking.Placed;

/**
 * What a model that learnt nothing scores on a task, and whether the task's best entry is above it
 * with its 95 % interval clear of it: a comparison between two models says little when neither has
 * learnt the task. The floor per task type:
 * <ul>
 *   <li>classification: AUROC 0.5, what any constant probability scores;</li>
 *   <li>segmentation: Dice 0, the empty mask on test cases that all have a lesion;</li>
 *   <li>regression: the MAE of the best constant prediction, the test cases' median (no constant
 *       does better, the finetuning cases' mean included), from the references the scorer stored.</li>
 * </ul>
 *
 * @param metric the metric compared on
 * @param value  the floor; NaN when it cannot be known (a regression task scored without references)
 * @param what   what scores the floor, in words
 * @param best   the entry best on {@code metric}, or null when none has a value
 */
public record Floor(Metric metric, double value, String what, Placed best) {

    /** The floor of a task and its best entry on the floor's metric; null when the task has not that metric. */
    static Floor of(Records records, String taskId, TaskType type, List<Metric> metrics, List<Placed> rows) {
        Metric metric = switch (type) {
            case CLASSIFICATION -> Metric.AUROC;
            case SEGMENTATION -> Metric.DICE;
            case REGRESSION -> Metric.MAE;
        };
        if (!metrics.contains(metric)) {
            return null;
        }
        Placed best = null;
        for (Placed p : rows) {
            double v = p.value(metric);
            if (!Double.isNaN(v) && (best == null || metric.better(v, best.value(metric)))) {
                best = p;
            }
        }
        return switch (type) {
            case CLASSIFICATION -> new Floor(metric, 0.5, "any constant probability", best);
            case SEGMENTATION -> new Floor(metric, 0, "the empty mask", best);
            case REGRESSION -> new Floor(metric, best == null ? Double.NaN
                    : bestConstantMae(CaseValues.read(records, taskId, type, metric, best.row()).truth().values()),
                    "the best constant prediction (the test cases' median)", best);
        };
    }

    /** The MAE of predicting the median of {@code truths} for each of them: no constant has a lower one. */
    static double bestConstantMae(Collection<Double> truths) {
        double[] t = truths.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
        if (t.length == 0) {
            return Double.NaN;
        }
        double median = t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
        return Arrays.stream(t).map(x -> Math.abs(x - median)).average().orElseThrow();
    }

    /** Whether the best entry's 95 % interval lies wholly on the better side of the floor. */
    public boolean cleared() {
        AggregateScore s = best == null ? null : best.row().metrics().get(metric.key());
        if (s == null || s.ciLow() == null || s.ciHigh() == null || Double.isNaN(value)) {
            return false;
        }
        return metric.better(s.ciLow(), value) && metric.better(s.ciHigh(), value);
    }

    /** The finding in words, e.g. "the best entry on MAE, unet (run 4), 12.31 [10.02, 14.77], against 16.20 ..."; every seed's run. */
    public String finding() {
        if (best == null) {
            return "no entry has a " + metric.label();
        }
        BoardRow r = best.row();
        String score = Report.score(metric, r.metrics().get(metric.key()));
        String against = Double.isNaN(value) ? "an unknown floor (no stored references: score again)"
                : metric.format(value) + ", what " + what + " scores";
        String runs = r.seedRuns().stream().map(x -> "run " + x.runId()).collect(Collectors.joining(", "));
        return "the best entry on " + metric.label() + ", " + r.entry() + " (" + runs + "), " + score + ", against "
                + against + ": " + (cleared() ? "above it, its 95 % CI excludes it" : "not clear of it");
    }
}
