package org.brainfm.web;

import static org.brainfm.web.Responses.bytes;
import static org.brainfm.web.Responses.html;
import static org.brainfm.web.Responses.vars;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.Metric;
import org.brainfm.records.EntryRow;
import org.brainfm.records.TaskRow;
import org.brainfm.study.Pairwise;
import org.brainfm.study.Study;

/**
 * The pages: the overall board ({@code /}), the tasks ({@code /tasks}), a task's board
 * ({@code /tasks/{task}}), an entry ({@code /entries/{id}}) and the comparison
 * ({@code /compare}). Each page is rendered once per {@link Snapshot} and view (sort, page,
 * show) and kept with it.
 */
final class PageRoutes {
    private final Boards boards;
    private final Pages pages;
    private final String conventions = Markdown.metricConventions();

    PageRoutes(Boards boards, Pages pages) {
        this.boards = boards;
        this.pages = pages;
    }

    void register(RoutesConfig routes) {
        routes.get("/", this::overall);
        routes.get("/tasks", this::tasks);
        routes.get("/tasks/{task}", this::task);
        routes.get("/entries/{id}", this::entry);
        routes.get("/compare", this::compare);
    }

    private void overall(Context ctx) {
        Snapshot s = boards.current();
        List<TaskRow> tasks = rankedTasks(s);
        Table<OverallStanding> table = Table.of("/", Map.of(), Columns.overall(tasks), Columns.overallTitles(tasks),
                (column, asc) -> s.derived("sorted:overall:" + column.key() + ":" + asc,
                        x -> Column.sort(x.overall, column, asc)),
                ctx.queryParam("sort"), ctx.queryParam("dir"), ctx.queryParam("page"));
        Map<Long, RankInterval> intervals = Lookups.intervals(s);
        String key = "html:overall:" + table.viewKey();
        if (intervals == null) {
            s.forget(key);
        }
        html(ctx, s.derived(key, x -> bytes(pages.render("board", "board", vars(
                "resamples", x.resamples, "table", table, "tasks", tasks, "intervals", intervals,
                "taskLinks", taskLinks(tasks), "entries", x.overall.size())))));
    }

    private void task(Context ctx) {
        Snapshot s = boards.current();
        String taskId = ctx.pathParam("task");
        TaskBoard.Show show = Lookups.show(ctx);
        TaskBoard board = Lookups.taskBoard(s, taskId, show);
        String path = Links.task(taskId);
        Map<String, String> params = show == TaskBoard.Show.ALL ? Map.of() : Map.of("show", show.id());
        Table<TaskStanding> table = Table.of(path, params, Columns.task(board.metrics()), Columns.taskTitles(board.metrics()),
                (column, asc) -> s.derived("sorted:task:" + taskId + ":" + show.id() + ":" + column.key() + ":" + asc,
                        x -> Column.sort(board.rows(), column, asc)),
                ctx.queryParam("sort"), ctx.queryParam("dir"), ctx.queryParam("page"));
        Map<String, String> showLinks = new LinkedHashMap<>();
        for (TaskBoard.Show option : TaskBoard.Show.values()) {
            showLinks.put(option.id(), Links.query(path, option == TaskBoard.Show.ALL ? Map.of()
                    : Map.of("show", option.id())));
        }
        html(ctx, s.derived("html:task:" + taskId + ":" + show.id() + ":" + table.viewKey(),
                x -> bytes(pages.render("task", "tasks", vars("board", board, "table", table,
                        "show", show.id(), "showLinks", showLinks, "csv", Links.taskCsv(taskId),
                        "cases", Links.query("/export/cases.csv", Map.of("task", taskId)),
                        "json", Links.query(Links.taskJson(taskId), params),
                        "pairs", x.derived("pairwise:" + taskId + ":" + show.id(), y -> pairwise(y, board)))))));
    }

    /** The pairwise significance table of the board's top entries on its headline metric (empty without one). */
    static List<Pairwise.Pair> pairwise(Snapshot s, TaskBoard board) {
        Metric metric = Study.headline(board.task().type(), board.metrics());
        if (metric == null) {
            return List.of();
        }
        return Pairwise.of(s.records, board.task(), board.rows().stream().map(TaskStanding::placed).toList(), metric, Pairwise.TOP, Bootstrap.DEFAULT_RESAMPLES,
                Study.PERMUTATIONS, Snapshot.SEED);
    }

    private void entry(Context ctx) {
        Snapshot s = boards.current();
        EntryRow entry = Lookups.shownEntry(s, ctx.pathParam("id"));
        html(ctx, s.derived("html:entry:" + entry.id(), x -> {
            EntryView view = EntryView.of(x, boards.records(), entry);
            return bytes(pages.render("entry", "board", vars("view", view, "runs", runRows(view),
                    "taskLinks", taskLinks(x.tasks),
                    "cardJson", view.card() == null ? null : view.card().definition().toPrettyString())));
        }));
    }

    private void compare(Context ctx) {
        Snapshot s = boards.current();
        html(ctx, s.derived("html:compare", x -> bytes(pages.render("compare", "compare",
                vars("comparison", x.derived("compare", Comparison::of), "taskLinks", taskLinks(x.tasks))))));
    }

    private void tasks(Context ctx) {
        Snapshot s = boards.current();
        html(ctx, s.derived("html:tasks", x -> bytes(pages.render("tasks", "tasks", vars(
                "tasks", x.tasks, "taskLinks", taskLinks(x.tasks), "boards", x.boards,
                "datasets", boards.records().catalog().datasets(),
                "metrics", List.of(Metric.values()), "conventions", conventions)))));
    }

    private static List<TaskRow> rankedTasks(Snapshot s) {
        List<TaskRow> tasks = new ArrayList<>();
        for (String id : s.rankedTasks) {
            tasks.add(s.boards.get(id).task());
        }
        return tasks;
    }

    /** The link of each task's board, by task id (encoded: a task id may hold any character). */
    private static Map<String, String> taskLinks(List<TaskRow> tasks) {
        Map<String, String> links = new HashMap<>();
        tasks.forEach(t -> links.put(t.id(), Links.task(t.id())));
        return links;
    }

    /** Runs as the provenance table shows them: names in words, the run it started from linked by id. */
    private static List<Map<String, Object>> runRows(EntryView view) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var r : view.runs()) {
            Map<String, Object> row = new HashMap<>();
            row.put("run", r);
            row.put("kind", EntryView.kind(r));
            row.put("status", r.status().name().toLowerCase(Locale.ROOT));
            row.put("device", r.deviceCount() == 1 ? r.deviceName() : r.deviceCount() + " x " + r.deviceName());
            row.put("deviceType", r.deviceType().toUpperCase(Locale.ROOT));
            rows.add(row);
        }
        return rows;
    }
}
