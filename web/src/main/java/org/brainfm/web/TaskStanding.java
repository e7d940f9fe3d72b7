package org.brainfm.web;

import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.BoardRow;
import org.brainfm.study.TaskRanking;

/**
 * One entry on one task's board: its row as the records give it, its position, its task rank
 * (the mean of its metric ranks) and its rank on each metric.
 */
public record TaskStanding(BoardRow row, int position, double taskRank, Map<String, Integer> metricRanks) {
    /** The same place as the study sees it. */
    public TaskRanking.Placed placed() {
        return new TaskRanking.Placed(row, position, taskRank, metricRanks);
    }

    public Compute compute() {
        return new Compute(row.gpuHours(), row.deviceHours());
    }

    public AggregateScore score(Metric metric) {
        return row.metrics().get(metric.key());
    }

    /** The metric's value, NaN when the entry has none. */
    public double value(Metric metric) {
        AggregateScore s = score(metric);
        return s == null || s.score() == null ? Double.NaN : s.score();
    }
}
