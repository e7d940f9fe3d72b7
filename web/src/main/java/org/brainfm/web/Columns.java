package org.brainfm.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.records.TaskRow;

/** The sortable columns of the overall board and of a task's board, with the titles of their headings. */
final class Columns {
    private Columns() {}

    static List<Column<OverallStanding>> overall(List<TaskRow> tasks) {
        List<Column<OverallStanding>> columns = new ArrayList<>();
        columns.add(new Column<>("rank", "Rank", OverallStanding::position, true));
        columns.add(new Column<>("entry", "Entry", OverallStanding::entry, true));
        columns.add(new Column<>("team", "Team", OverallStanding::team, true));
        columns.add(new Column<>("family", "Family", r -> r.family().name(), true));
        columns.add(new Column<>("parameters", "Parameters", OverallStanding::parameters, true));
        columns.add(new Column<>("compute", "Compute", r -> r.compute().hours(), true));
        for (TaskRow t : tasks) {
            columns.add(new Column<>("task:" + t.id(), t.id(), r -> r.taskRank(t.id()), true));
        }
        columns.add(new Column<>("mean", "Mean rank", OverallStanding::meanRank, true));
        return columns;
    }

    static Map<String, String> overallTitles(List<TaskRow> tasks) {
        Map<String, String> titles = new LinkedHashMap<>(common());
        for (TaskRow t : tasks) {
            titles.put("task:" + t.id(), "Sort by the rank on task " + t.id() + " (mean of its metric ranks)");
        }
        titles.put("mean", "Sort by the mean of the task ranks");
        return titles;
    }

    static List<Column<TaskStanding>> task(List<Metric> metrics) {
        List<Column<TaskStanding>> columns = new ArrayList<>();
        columns.add(new Column<>("rank", "Rank", TaskStanding::position, true));
        columns.add(new Column<>("entry", "Entry", r -> r.row().entry(), true));
        columns.add(new Column<>("team", "Team", r -> r.row().team(), true));
        columns.add(new Column<>("family", "Family", r -> r.row().family().name(), true));
        columns.add(new Column<>("parameters", "Parameters", r -> r.row().parameters(), true));
        columns.add(new Column<>("compute", "Compute", r -> r.compute().hours(), true));
        for (Metric m : metrics) {
            columns.add(new Column<>(m.key(), m.label(), r -> r.value(m), m.direction() == Metric.Direction.LOWER));
        }
        return columns;
    }

    static Map<String, String> taskTitles(List<Metric> metrics) {
        Map<String, String> titles = new LinkedHashMap<>(common());
        for (Metric m : metrics) {
            titles.put(m.key(), "Sort by " + m.label() + " (" + Format.INSTANCE.direction(m) + ")");
        }
        return titles;
    }

    private static Map<String, String> common() {
        return Map.of(
                "rank", "Sort by rank",
                "entry", "Sort by entry name",
                "team", "Sort by team",
                "family", "Sort by architecture family",
                "parameters", "Sort by parameter count",
                "compute", "Sort by measured compute (GPU-hours; device-hours on CPUs)");
    }
}
