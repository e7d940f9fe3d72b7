package org.brainfm.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.Ranking;
import org.brainfm.metrics.TaskScores;
import org.brainfm.records.Records;
import org.brainfm.records.ResultRow;

/**
 * The overall position's 95 % interval for every entry: the whole ranking recomputed on
 * bootstrap resamples of each task's cases ({@link Ranking#stability}), from the per-case
 * results of the runs on the boards. A metric an entry has no per-case values for (one
 * computed on the whole test set, such as AUROC) keeps its aggregate value in every resample;
 * a case an entry has no value for is left out of its means.
 */
final class RankIntervals {
    private RankIntervals() {}

    static Map<Long, RankInterval> compute(Records records, List<TaskBoard> boards, List<Long> ids, int resamples,
            long seed) {
        List<String> names = ids.stream().map(String::valueOf).toList();
        List<TaskScores> tasks = new ArrayList<>();
        for (TaskBoard board : boards) {
            tasks.add(task(records, board, ids, names));
        }
        Map<Long, RankInterval> out = new HashMap<>();
        List<Ranking.Stability> stability = Ranking.stability(tasks, resamples, seed);
        for (int i = 0; i < ids.size(); i++) {
            out.put(ids.get(i), new RankInterval(stability.get(i).low(), stability.get(i).high()));
        }
        return Map.copyOf(out);
    }

    private static TaskScores task(Records records, TaskBoard board, List<Long> ids, List<String> names) {
        Map<Long, Integer> entryOfRun = new HashMap<>();
        Map<Long, Integer> index = new HashMap<>();
        ids.forEach(id -> index.put(id, index.size()));
        for (TaskStanding r : board.rows()) {
            r.row().seedRuns().forEach(s -> entryOfRun.put(s.runId(), index.get(r.row().entryId())));
        }
        Map<String, Metric> metrics = new HashMap<>();
        board.metrics().forEach(m -> metrics.put(m.key(), m));
        Map<String, Integer> caseIndex = new LinkedHashMap<>();
        // metric -> entry -> case -> {sum, count} over the entry's seeds: a case's value is its mean over seeds
        Map<Metric, Map<Integer, Map<Integer, double[]>>> perCase = new HashMap<>();
        records.results().export(board.task().id(), row -> {
            Integer entry = entryOfRun.get(row.runId());
            Metric metric = metrics.get(row.metric());
            if (entry == null || metric == null || !row.level().equals(ResultRow.CASE)) {
                return;
            }
            int c = caseIndex.computeIfAbsent(row.caseId(), k -> caseIndex.size());
            double[] sum = perCase.computeIfAbsent(metric, k -> new HashMap<>()).computeIfAbsent(entry, k -> new HashMap<>())
                    .computeIfAbsent(c, k -> new double[2]);
            if (row.score() != null) {
                sum[0] += row.score();
                sum[1]++;
            }
        });
        int cases = Math.max(1, caseIndex.size());
        Map<Metric, double[][]> values = new LinkedHashMap<>();
        for (Metric m : board.metrics()) {
            double[][] v = new double[ids.size()][cases];
            for (double[] row : v) {
                Arrays.fill(row, Double.NaN);
            }
            Map<Integer, Map<Integer, double[]>> known = perCase.getOrDefault(m, Map.of());
            for (TaskStanding r : board.rows()) {
                int e = index.get(r.row().entryId());
                Map<Integer, double[]> own = known.get(e);
                if (own == null) {
                    Arrays.fill(v[e], r.value(m));
                } else {
                    own.forEach((c, sum) -> v[e][c] = sum[1] == 0 ? Double.NaN : sum[0] / sum[1]);
                }
            }
            values.put(m, v);
        }
        return TaskScores.perCase(board.task().id(), names, values);
    }
}
