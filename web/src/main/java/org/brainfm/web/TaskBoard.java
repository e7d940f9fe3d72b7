package org.brainfm.web;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.records.BoardRow;
import org.brainfm.records.TaskRow;
import org.brainfm.study.TaskRanking;

/**
 * One task's board, ranked as FOMO25 does (docs/metrics.md): every metric ranks the entries,
 * the task rank is the mean of an entry's metric ranks, and the position is the rank of that.
 * Rows are in position order (ties by entry id).
 */
public record TaskBoard(TaskRow task, List<Metric> metrics, List<TaskStanding> rows) {
    /** Ranks the rows the records give for {@code task} ({@link TaskRanking}); only metrics of the registry count. */
    static TaskBoard rank(TaskRow task, List<BoardRow> rows) {
        TaskRanking.Ranked ranked = TaskRanking.rank(rows);
        return new TaskBoard(task, ranked.metrics(), ranked.rows().stream()
                .map(p -> new TaskStanding(p.row(), p.position(), p.taskRank(), p.metricRanks())).toList());
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
