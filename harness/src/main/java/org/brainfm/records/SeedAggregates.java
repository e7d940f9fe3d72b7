package org.brainfm.records;

import static org.brainfm.records.db.Tables.CASE_RESULT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.SeedBootstrap;
import org.brainfm.metrics.SeedSummary;
import org.brainfm.metrics.TaskScores;
import org.jooq.Record;

/**
 * An entry's metrics over its finetuning seeds, for the board: the mean over the seeds' scoring
 * runs, their spread, and a 95 % interval from the two-level bootstrap of docs/metrics.md
 * ({@link SeedBootstrap}, {@link Bootstrap#DEFAULT_RESAMPLES} resamples, seed
 * {@link Bootstrap#DEFAULT_SEED}). Metrics with per-case values of their own (segmentation) are
 * resampled from {@code case_result}; metrics of the whole test set (classification, regression)
 * are recomputed on each resample from the predictions and references the scorer stored there,
 * and only for runs scored before the references were stored, from each seed's own interval.
 */
final class SeedAggregates {
    /** One run's per-case rows of one stored metric, in case order (null score: NaN; truth null when any case has none). */
    record Cases(double[] values, double[] truth) {}

    private SeedAggregates() {}

    /** Per-case rows of the given runs on a task: run, stored metric, then the cases. */
    static Map<Long, Map<String, Cases>> caseValues(Sql sql, String taskId, List<Long> runIds) {
        Map<Long, Map<String, Cases>> out = new LinkedHashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        Map<Long, Map<String, List<Record>>> lists = new LinkedHashMap<>();
        List<? extends Record> rows = sql.call(db -> db.select(CASE_RESULT.RUN_ID, CASE_RESULT.METRIC, CASE_RESULT.SCORE, CASE_RESULT.TRUTH)
                .from(CASE_RESULT)
                .where(CASE_RESULT.TASK_ID.eq(taskId), CASE_RESULT.RUN_ID.in(runIds))
                .orderBy(CASE_RESULT.RUN_ID, CASE_RESULT.METRIC, CASE_RESULT.CASE_ID)
                .fetch());
        for (Record r : rows) {
            lists.computeIfAbsent(r.get(CASE_RESULT.RUN_ID), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.get(CASE_RESULT.METRIC), k -> new ArrayList<>())
                    .add(r);
        }
        lists.forEach((run, metrics) -> {
            Map<String, Cases> m = new LinkedHashMap<>();
            metrics.forEach((metric, cases) -> {
                double[] values = cases.stream().map(r -> r.get(CASE_RESULT.SCORE))
                        .mapToDouble(v -> v == null ? Double.NaN : v).toArray();
                boolean allTruth = cases.stream().allMatch(r -> r.get(CASE_RESULT.TRUTH) != null);
                double[] truth = allTruth ? cases.stream().mapToDouble(r -> r.get(CASE_RESULT.TRUTH)).toArray() : null;
                m.put(metric, new Cases(values, truth));
            });
            out.put(run, m);
        });
        return out;
    }

    /**
     * Every metric of the runs (one per seed), combined: {@code n} the latest run's case count,
     * {@code seeds} the seeds whose value is defined.
     */
    static Map<String, AggregateScore> combine(Map<Long, Map<String, AggregateScore>> runs, long latestRun,
            Map<Long, Map<String, Cases>> cases) {
        Set<String> metrics = new LinkedHashSet<>();
        runs.values().forEach(m -> metrics.addAll(m.keySet()));
        Map<String, AggregateScore> out = new LinkedHashMap<>();
        for (String metric : metrics) {
            List<AggregateScore> defined = new ArrayList<>();
            List<Map<String, Cases>> perRun = new ArrayList<>();
            runs.forEach((run, m) -> {
                AggregateScore a = m.get(metric);
                if (a != null && a.score() != null) {
                    defined.add(a);
                    perRun.add(cases.getOrDefault(run, Map.of()));
                }
            });
            AggregateScore latest = runs.get(latestRun).get(metric);
            int n = latest != null ? latest.n() : runs.values().stream()
                    .mapToInt(m -> m.containsKey(metric) ? m.get(metric).n() : 0).max().orElse(0);
            if (defined.isEmpty()) {
                out.put(metric, new AggregateScore(metric, null, null, null, n));
                continue;
            }
            SeedSummary s = summary(metric, defined, perRun);
            out.put(metric, new AggregateScore(metric, s.mean(), s.low(), s.high(), n, s.sd(), Math.max(1, s.seeds())));
        }
        return out;
    }

    /** The two-level bootstrap of one metric over the seeds that define it, from the most exact source their rows allow. */
    private static SeedSummary summary(String metric, List<AggregateScore> defined, List<Map<String, Cases>> perRun) {
        List<Cases> own = perRun.stream().map(m -> m.get(metric)).toList();
        if (own.stream().allMatch(c -> c != null && c.values().length > 0)) {
            return SeedBootstrap.means(own.stream().map(Cases::values).toList(), Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
        }
        Metric m = Metric.ofStored(metric);
        List<TaskScores> sets = wholeSet(m, perRun);
        if (sets != null) {
            int[] casesPerSeed = sets.stream().mapToInt(TaskScores::cases).toArray();
            int index = sets.get(0).metrics().indexOf(m);
            return SeedBootstrap.statistic(casesPerSeed, (k, idx) -> sets.get(k).values(idx)[0][index],
                    Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
        }
        return SeedBootstrap.fromIntervals(defined.stream().mapToDouble(AggregateScore::score).toArray(),
                defined.stream().mapToDouble(a -> a.ciLow() == null ? Double.NaN : a.ciLow()).toArray(),
                defined.stream().mapToDouble(a -> a.ciHigh() == null ? Double.NaN : a.ciHigh()).toArray(),
                m.lowest(), m.highest(), Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
    }

    /**
     * Each seed's test set as a one-entry task that recomputes {@code metric} on any resample of
     * its cases, from the stored predictions and references; null when a seed lacks them (or
     * for segmentation).
     */
    private static List<TaskScores> wholeSet(Metric metric, List<Map<String, Cases>> perRun) {
        if (metric.perClass()) {
            return null; // a segmentation metric is the mean of its per-case values, missing here
        }
        boolean classification = metric != Metric.MAE && metric != Metric.PEARSON_R;
        List<TaskScores> out = new ArrayList<>();
        for (Map<String, Cases> run : perRun) {
            Cases c = run.get(classification ? CaseScore.PROBABILITY : CaseScore.PREDICTION);
            if (c == null || c.truth() == null || c.values().length == 0) {
                return null;
            }
            out.add(classification
                    ? TaskScores.classification("seed", List.of("seed"), c.truth(), new double[][] {c.values()}, List.of(metric))
                    : TaskScores.regression("seed", List.of("seed"), c.truth(), new double[][] {c.values()}));
        }
        return out;
    }
}
