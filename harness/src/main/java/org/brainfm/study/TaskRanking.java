package org.brainfm.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.Ranking;
import org.brainfm.metrics.TaskScores;
import org.brainfm.records.BoardRow;

/**
 * One task's board ranked as FOMO25 does (docs/metrics.md): every metric ranks the entries, the
 * task rank is the mean of an entry's metric ranks, and the position is the rank of that.
 */
public final class TaskRanking {
    private TaskRanking() {}

    /** An entry's place: position, task rank (NaN when nothing ranks) and its rank on each metric. */
    public record Placed(BoardRow row, int position, double taskRank, Map<String, Integer> metricRanks) {
        /** The metric's value, NaN when the entry has none. */
        public double value(Metric metric) {
            var s = row.metrics().get(metric.key());
            return s == null || s.score() == null ? Double.NaN : s.score();
        }
    }

    /** The metrics of the registry the rows have, and the rows in position order (ties by entry id). */
    public record Ranked(List<Metric> metrics, List<Placed> rows) {}

    public static Ranked rank(List<BoardRow> rows) {
        List<Metric> metrics = Arrays.stream(Metric.values())
                .filter(m -> rows.stream().anyMatch(r -> r.metrics().containsKey(m.key())))
                .toList();
        if (rows.isEmpty() || metrics.isEmpty()) {
            return new Ranked(metrics, rows.stream().map(r -> new Placed(r, 1, Double.NaN, Map.of())).toList());
        }
        Map<Metric, double[][]> values = new LinkedHashMap<>();
        List<Map<String, Integer>> metricRanks = new ArrayList<>();
        rows.forEach(r -> metricRanks.add(new HashMap<>()));
        for (Metric m : metrics) {
            double[][] column = new double[rows.size()][1];
            double[] flat = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                var score = rows.get(i).metrics().get(m.key());
                flat[i] = score == null || score.score() == null ? Double.NaN : score.score();
                column[i][0] = flat[i];
            }
            values.put(m, column);
            if (Arrays.stream(flat).anyMatch(v -> !Double.isNaN(v))) {
                int[] r = Ranking.rank(flat, m.direction());
                for (int i = 0; i < rows.size(); i++) {
                    metricRanks.get(i).put(m.key(), r[i]);
                }
            }
        }
        List<String> ids = rows.stream().map(r -> Long.toString(r.entryId())).toList();
        List<Ranking.Place> places = Ranking.rank(List.of(TaskScores.perCase("task", ids, values)));
        List<Placed> ranked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Ranking.Place p = places.get(i);
            ranked.add(new Placed(rows.get(i), p.position(), p.taskRanks()[0], Map.copyOf(metricRanks.get(i))));
        }
        ranked.sort(Comparator.comparingInt(Placed::position).thenComparingLong(r -> r.row().entryId()));
        return new Ranked(metrics, List.copyOf(ranked));
    }
}
