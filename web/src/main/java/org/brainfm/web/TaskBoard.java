package org.brainfm.web;

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
import org.brainfm.records.TaskRow;

/**
 * One task's board, ranked as FOMO25 does (docs/metrics.md): every metric ranks the entries,
 * the task rank is the mean of an entry's metric ranks, and the position is the rank of that.
 * Rows are in position order (ties by entry id).
 */
public record TaskBoard(TaskRow task, List<Metric> metrics, List<TaskStanding> rows) {
    /** Ranks the rows the records give for {@code task}; only metrics of the registry count. */
    static TaskBoard rank(TaskRow task, List<BoardRow> rows) {
        List<Metric> metrics = Arrays.stream(Metric.values())
                .filter(m -> rows.stream().anyMatch(r -> r.metrics().containsKey(m.key())))
                .toList();
        if (rows.isEmpty() || metrics.isEmpty()) {
            List<TaskStanding> unranked = rows.stream().map(r -> new TaskStanding(r, 1, Double.NaN, Map.of())).toList();
            return new TaskBoard(task, metrics, unranked);
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
        List<Ranking.Place> places = Ranking.rank(List.of(TaskScores.perCase(task.id(), ids, values)));
        List<TaskStanding> ranked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Ranking.Place p = places.get(i);
            ranked.add(new TaskStanding(rows.get(i), p.position(), p.taskRanks()[0], Map.copyOf(metricRanks.get(i))));
        }
        ranked.sort(Comparator.comparingInt(TaskStanding::position).thenComparingLong(r -> r.row().entryId()));
        return new TaskBoard(task, metrics, List.copyOf(ranked));
    }

    /** The board restricted to one entry per team (best: best placed; latest: newest entry), re-ranked. */
    TaskBoard perTeam(Show show) {
        if (show == Show.ALL) {
            return this;
        }
        Map<String, TaskStanding> kept = new LinkedHashMap<>();
        for (TaskStanding r : rows) {
            kept.merge(r.row().team(), r, (a, b) -> show == Show.BEST
                    ? (b.position() < a.position() ? b : a)
                    : (b.row().entryId() > a.row().entryId() ? b : a));
        }
        return rank(task, kept.values().stream().map(TaskStanding::row)
                .sorted(Comparator.comparingLong(BoardRow::entryId)).toList());
    }

    /** Which rows a task board shows: every entry, or one per team. */
    enum Show {
        ALL, BEST, LATEST;

        static Show parse(String value) {
            if (value == null || value.isBlank()) {
                return ALL;
            }
            return switch (value) {
                case "best" -> BEST;
                case "latest" -> LATEST;
                case "all" -> ALL;
                default -> throw new BadRequest("show", "is '" + value + "'; use all, best or latest");
            };
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
