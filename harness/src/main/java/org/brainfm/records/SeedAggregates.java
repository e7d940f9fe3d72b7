package org.brainfm.records;

import static org.brainfm.records.db.Tables.CASE_RESULT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.SeedBootstrap;
import org.brainfm.metrics.SeedSummary;
import org.jooq.Record;

/**
 * An entry's metrics over its finetuning seeds, for the board: the mean over the seeds' scoring
 * runs, their spread, and a 95 % interval from the two-level bootstrap of docs/metrics.md
 * ({@link SeedBootstrap}, {@link Bootstrap#DEFAULT_RESAMPLES} resamples, seed
 * {@link Bootstrap#DEFAULT_SEED}). Metrics with per-case values of their own (segmentation) are
 * resampled from {@code case_result}; metrics of the whole test set (classification,
 * regression) from each seed's stored interval, as the records hold no test labels.
 */
final class SeedAggregates {
    private SeedAggregates() {}

    /** Per-case values of the given runs on a task: run, metric, then the values in case order (null score: NaN). */
    static Map<Long, Map<String, double[]>> caseValues(Sql sql, String taskId, List<Long> runIds) {
        Map<Long, Map<String, double[]>> out = new LinkedHashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        Map<Long, Map<String, List<Double>>> lists = new LinkedHashMap<>();
        List<? extends Record> rows = sql.call(db -> db.select(CASE_RESULT.RUN_ID, CASE_RESULT.METRIC, CASE_RESULT.SCORE)
                .from(CASE_RESULT)
                .where(CASE_RESULT.TASK_ID.eq(taskId), CASE_RESULT.RUN_ID.in(runIds))
                .orderBy(CASE_RESULT.RUN_ID, CASE_RESULT.METRIC, CASE_RESULT.CASE_ID)
                .fetch());
        for (Record r : rows) {
            Double score = r.get(CASE_RESULT.SCORE);
            lists.computeIfAbsent(r.get(CASE_RESULT.RUN_ID), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.get(CASE_RESULT.METRIC), k -> new ArrayList<>())
                    .add(score == null ? Double.NaN : score);
        }
        lists.forEach((run, metrics) -> {
            Map<String, double[]> m = new LinkedHashMap<>();
            metrics.forEach((metric, values) -> m.put(metric, values.stream().mapToDouble(Double::doubleValue).toArray()));
            out.put(run, m);
        });
        return out;
    }

    /**
     * Every metric of the runs (one per seed), combined: {@code n} the latest run's case count,
     * {@code seeds} the seeds whose value is defined.
     */
    static Map<String, AggregateScore> combine(Map<Long, Map<String, AggregateScore>> runs, long latestRun,
            Map<Long, Map<String, double[]>> cases) {
        Set<String> metrics = new LinkedHashSet<>();
        runs.values().forEach(m -> metrics.addAll(m.keySet()));
        Map<String, AggregateScore> out = new LinkedHashMap<>();
        for (String metric : metrics) {
            List<AggregateScore> defined = new ArrayList<>();
            List<double[]> perCase = new ArrayList<>();
            runs.forEach((run, m) -> {
                AggregateScore a = m.get(metric);
                if (a != null && a.score() != null) {
                    defined.add(a);
                    perCase.add(cases.getOrDefault(run, Map.of()).get(metric));
                }
            });
            AggregateScore latest = runs.get(latestRun).get(metric);
            int n = latest != null ? latest.n() : runs.values().stream()
                    .mapToInt(m -> m.containsKey(metric) ? m.get(metric).n() : 0).max().orElse(0);
            if (defined.isEmpty()) {
                out.put(metric, new AggregateScore(metric, null, null, null, n));
                continue;
            }
            SeedSummary s;
            if (perCase.stream().allMatch(v -> v != null && v.length > 0)) {
                s = SeedBootstrap.means(perCase, Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
            } else {
                s = SeedBootstrap.fromIntervals(defined.stream().mapToDouble(AggregateScore::score).toArray(),
                        defined.stream().mapToDouble(a -> a.ciLow() == null ? Double.NaN : a.ciLow()).toArray(),
                        defined.stream().mapToDouble(a -> a.ciHigh() == null ? Double.NaN : a.ciHigh()).toArray(),
                        Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
            }
            out.put(metric, new AggregateScore(metric, s.mean(), s.low(), s.high(), n, s.sd(), Math.max(1, s.seeds())));
        }
        return out;
    }
}
