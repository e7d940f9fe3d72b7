package org.brainfm.study;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.BoardRow;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Records;

/**
 * What one entry's board score on a task is made of, case by case: for a per-case metric
 * (segmentation) the case's value; for a metric of the whole test set the case's prediction
 * (probability of class 1, or predicted value) and its reference. An entry with several seeds has
 * each case's mean over its seeds' scoring runs (an undefined per-case value left out; a missing
 * or invalid prediction in any seed makes the case's prediction invalid, scored worst).
 *
 * @param values case id to value or prediction (NaN: undefined, or an invalid prediction)
 * @param truth  case id to reference, for classification and regression; cases scored before
 *               schema 7 have none
 */
public record CaseValues(Map<String, Double> values, Map<String, Double> truth) {
    /** The row's per-case values of {@code metric} on the task, read from its seeds' scoring runs. */
    public static CaseValues read(Records records, String taskId, TaskType type, Metric metric, BoardRow row) {
        String key = source(type, metric);
        boolean perCase = key.equals(metric.key());
        Map<String, double[]> sums = new TreeMap<>();
        Map<String, Double> truth = new HashMap<>();
        for (BoardRow.SeedRun seed : row.seedRuns()) {
            List<CaseScore> cases = records.results().cases(seed.runId(), taskId);
            for (CaseScore c : cases) {
                if (!c.metric().equals(key)) {
                    continue;
                }
                double[] s = sums.computeIfAbsent(c.caseId(), k -> new double[3]);
                if (c.score() != null) {
                    s[0] += c.score();
                    s[1]++;
                } else {
                    s[2]++;
                }
                if (c.truth() != null) {
                    truth.put(c.caseId(), c.truth());
                }
            }
        }
        Map<String, Double> values = new TreeMap<>();
        sums.forEach((id, s) -> values.put(id, s[1] == 0 || (!perCase && s[2] > 0) ? Double.NaN : s[0] / s[1]));
        return new CaseValues(values, truth);
    }

    /** Which per-case rows a metric is computed from: its own (segmentation) or the predictions. */
    static String source(TaskType type, Metric metric) {
        return switch (type) {
            case SEGMENTATION -> metric.key();
            case CLASSIFICATION -> CaseScore.PROBABILITY;
            case REGRESSION -> CaseScore.PREDICTION;
        };
    }
}
