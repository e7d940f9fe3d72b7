package org.brainfm.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongPredicate;
import org.brainfm.metrics.Metric;
import org.brainfm.records.EntryInfo;
import org.brainfm.records.Records;
import org.brainfm.records.RunInfo;
import org.brainfm.records.RunKind;
import org.brainfm.records.TaskDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaderboard site: server-rendered pages, the JSON API under {@code /api/}, CSV exports
 * under {@code /export/}, and the organiser's actions under {@code /admin}. It reads the
 * records through {@link Boards} (cached per state of the records) and writes only the
 * hidden flags of entries and runs, and only with the organiser's token.
 */
public final class Site implements AutoCloseable {
    /** How long a page waits for the rank intervals before it says they are being computed. */
    static final long INTERVAL_WAIT_MILLIS = 3_000;

    private static final Logger LOG = LoggerFactory.getLogger(Site.class);
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String CSV = "text/csv; charset=utf-8";
    /** Request attribute: the error page is written (Javalin's error handlers would write another). */
    private static final String PROBLEM = "brainfm.problem";
    private static final String SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Boards boards;
    private final Pages pages = new Pages();
    private final AdminToken token;
    private final String conventions = Markdown.metricConventions();
    private final Javalin app;

    /**
     * @param adminToken the organiser's token; null or blank turns organiser actions off
     * @param resamples  bootstrap resamples for the overall rank intervals (0: none)
     */
    public Site(Records records, String adminToken, int resamples) {
        this.boards = new Boards(records, resamples);
        this.token = new AdminToken(adminToken);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/org/brainfm/web/static";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "max-age=3600");
            });
            var routes = config.routes;
            routes.before(ctx -> {
                ctx.header("Content-Security-Policy", SECURITY_POLICY);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
            });
            routes.get("/", this::overall);
            routes.get("/tasks", this::tasks);
            routes.get("/tasks/{task}", this::task);
            routes.get("/entries/{id}", this::entry);
            routes.get("/compare", this::compare);
            routes.get("/api/leaderboard", this::apiLeaderboard);
            routes.get("/api/tasks", ctx -> json(ctx, Api.bytes(Api.object().set("tasks", Api.tasks(boards.current())))));
            routes.get("/api/tasks/{task}", this::apiTask);
            routes.get("/api/entries/{id}", this::apiEntry);
            routes.get("/api/compare", ctx -> json(ctx, boards.current().derived("json:compare",
                    s -> Api.bytes(Api.comparison(s.derived("compare", Comparison::of))))));
            routes.get("/export/leaderboard.csv", this::overallCsv);
            routes.get("/export/tasks/{file}", this::taskCsv);
            routes.get("/export/cases.csv", this::casesCsv);
            routes.get("/admin", ctx -> admin(ctx, false, null));
            routes.post("/admin", this::adminList);
            routes.post("/admin/entries/{id}/hidden", ctx -> setHidden(ctx, "entry",
                    id -> boards.records().entry(id).isPresent(), (id, hidden) -> boards.records().setHidden(id, hidden)));
            routes.post("/admin/runs/{id}/hidden", ctx -> setHidden(ctx, "run",
                    id -> boards.records().run(id).isPresent(), (id, hidden) -> boards.records().setRunHidden(id, hidden)));
            routes.exception(BadRequest.class, (e, ctx) -> problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
            routes.exception(NotFound.class, (e, ctx) -> problem(ctx, HttpStatus.NOT_FOUND, e.getMessage()));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "the site failed to answer this request; "
                        + "the server's log has the details");
            });
            routes.error(404, ctx -> {
                if (ctx.attribute(PROBLEM) == null) {
                    problem(ctx, HttpStatus.NOT_FOUND, "no page at " + ctx.path());
                }
            });
        });
    }

    public Javalin app() {
        return app;
    }

    @Override
    public void close() {
        app.stop();
        boards.close();
    }

    // ---- pages --------------------------------------------------------------------------

    private void overall(Context ctx) {
        Snapshot s = boards.current();
        List<TaskDef> tasks = rankedTasks(s);
        Table<OverallRow> table = Table.of("/", Map.of(), Columns.overall(tasks), Columns.overallTitles(tasks),
                (column, asc) -> s.derived("sorted:overall:" + column.key() + ":" + asc,
                        x -> Column.sort(x.overall, column, asc)),
                ctx.queryParam("sort"), ctx.queryParam("dir"), ctx.queryParam("page"));
        Map<Long, RankInterval> intervals = intervals(s);
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
        TaskBoard.Show show = TaskBoard.Show.parse(ctx.queryParam("show"));
        TaskBoard board = s.board(taskId, show).orElseThrow(() -> new NotFound("no task '" + taskId + "'"));
        String path = Links.task(taskId);
        Map<String, String> params = show == TaskBoard.Show.ALL ? Map.of() : Map.of("show", show.id());
        Table<TaskRow> table = Table.of(path, params, Columns.task(board.metrics()), Columns.taskTitles(board.metrics()),
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
                        "json", Links.query(Links.taskJson(taskId), params))))));
    }

    private void entry(Context ctx) {
        Snapshot s = boards.current();
        EntryInfo entry = shownEntry(s, ctx.pathParam("id"));
        html(ctx, s.derived("html:entry:" + entry.id(), x -> {
            EntryView view = EntryView.of(x, boards.records(), entry);
            return bytes(pages.render("entry", "board", vars("view", view, "runs", runRows(view),
                    "cardJson", view.card() == null ? null : view.card().definition().toPrettyString())));
        }));
    }

    private void compare(Context ctx) {
        Snapshot s = boards.current();
        html(ctx, s.derived("html:compare", x -> bytes(pages.render("compare", "compare",
                vars("comparison", x.derived("compare", Comparison::of))))));
    }

    private void tasks(Context ctx) {
        Snapshot s = boards.current();
        html(ctx, s.derived("html:tasks", x -> bytes(pages.render("tasks", "tasks", vars(
                "tasks", x.tasks, "boards", x.boards, "datasets", boards.records().datasets(),
                "metrics", List.of(Metric.values()), "conventions", conventions)))));
    }

    // ---- API and exports ---------------------------------------------------------------

    private void apiLeaderboard(Context ctx) {
        Snapshot s = boards.current();
        Map<Long, RankInterval> intervals = intervals(s);
        if (intervals == null) {
            json(ctx, Api.bytes(Api.leaderboard(s, null)));
        } else {
            json(ctx, s.derived("json:leaderboard", x -> Api.bytes(Api.leaderboard(x, intervals))));
        }
    }

    private void apiTask(Context ctx) {
        Snapshot s = boards.current();
        String taskId = ctx.pathParam("task");
        TaskBoard.Show show = TaskBoard.Show.parse(ctx.queryParam("show"));
        TaskBoard board = s.board(taskId, show).orElseThrow(() -> new NotFound("no task '" + taskId + "'"));
        json(ctx, s.derived("json:task:" + taskId + ":" + show.id(), x -> Api.bytes(Api.taskBoard(board, show))));
    }

    private void apiEntry(Context ctx) {
        Snapshot s = boards.current();
        EntryInfo entry = shownEntry(s, ctx.pathParam("id"));
        json(ctx, Api.bytes(Api.entry(EntryView.of(s, boards.records(), entry))));
    }

    private void overallCsv(Context ctx) {
        Snapshot s = boards.current();
        Map<Long, RankInterval> intervals = intervals(s);
        byte[] body = intervals == null ? Csv.overall(s, null) : s.derived("csv:overall", x -> Csv.overall(x, intervals));
        download(ctx, "leaderboard.csv", body);
    }

    private void taskCsv(Context ctx) {
        Snapshot s = boards.current();
        String file = ctx.pathParam("file");
        if (!file.endsWith(".csv")) {
            throw new NotFound("no export " + file + "; task boards export as /export/tasks/<task>.csv");
        }
        String taskId = file.substring(0, file.length() - 4);
        TaskBoard board = s.board(taskId, TaskBoard.Show.ALL).orElseThrow(() -> new NotFound("no task '" + taskId + "'"));
        download(ctx, Links.segment(taskId) + ".csv", s.derived("csv:task:" + taskId, x -> Csv.task(board)));
    }

    private void casesCsv(Context ctx) throws Exception {
        Snapshot s = boards.current();
        String taskId = ctx.queryParam("task");
        if (taskId != null && !s.boards.containsKey(taskId)) {
            throw new NotFound("no task '" + taskId + "'");
        }
        ctx.contentType(CSV);
        ctx.header("Content-Disposition", "attachment; filename=\"cases.csv\"");
        Csv.cases(s, boards.records(), taskId, ctx.outputStream());
    }

    // ---- organiser ---------------------------------------------------------------------

    private void adminList(Context ctx) {
        if (token.check(ctx.header("Authorization"), ctx.formParam("token")) == AdminToken.Proof.NONE) {
            unauthorized(ctx);
            return;
        }
        admin(ctx, true, null);
    }

    /** Hides or shows an entry or a run ({@code what}): token first, then the id, then the flag. */
    private void setHidden(Context ctx, String what, LongPredicate exists, ObjLongBoolConsumer set) {
        AdminToken.Proof proof = token.check(ctx.header("Authorization"), ctx.formParam("token"));
        if (proof == AdminToken.Proof.NONE) {
            unauthorized(ctx);
            return;
        }
        long id = id(what, ctx.pathParam("id"));
        String value = ctx.formParam("hidden") != null ? ctx.formParam("hidden") : ctx.queryParam("hidden");
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new BadRequest("hidden", "is " + (value == null ? "missing" : "'" + value + "'") + "; give true or false");
        }
        boolean hidden = Boolean.parseBoolean(value);
        if (!exists.test(id)) {
            throw new NotFound("no " + what + " " + id);
        }
        set.accept(id, hidden);
        boards.changed();
        LOG.info("{} {} {} by the organiser", what, id, hidden ? "hidden" : "shown");
        if (proof == AdminToken.Proof.BEARER) {
            json(ctx, Api.bytes(Api.object().put(what + "_id", id).put("hidden", hidden)));
        } else {
            String name = Character.toUpperCase(what.charAt(0)) + what.substring(1);
            admin(ctx, true, name + " " + id + " is now " + (hidden ? "hidden" : "shown") + ".");
        }
    }

    /** Sets a hidden flag by id. */
    @FunctionalInterface
    private interface ObjLongBoolConsumer {
        void accept(long id, boolean hidden);
    }

    private void admin(Context ctx, boolean authorized, String message) {
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(HTML).result(pages.render("admin", "admin", vars(
                "configured", token.configured(), "authorized", authorized, "message", message,
                "token", authorized ? ctx.formParam("token") : null,
                "entries", authorized ? boards.records().entries() : List.of(),
                "runs", authorized ? adminRuns(boards.current()) : List.of())));
    }

    /**
     * The runs an organiser may hide or show, newest first: every scoring run, and any other
     * run that is hidden (so that it can be shown again), each with where it stands.
     */
    private static List<Map<String, Object>> adminRuns(Snapshot s) {
        Set<Long> onBoards = new HashSet<>();
        s.boards.values().forEach(b -> b.rows().forEach(r -> onBoards.add(r.row().runId())));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunInfo r : s.runs.values()) {
            if (r.kind() != RunKind.SCORE && !r.hidden()) {
                continue;
            }
            EntryInfo entry = r.entryId() == null ? null : s.entries.get(r.entryId());
            Map<String, Object> row = new HashMap<>();
            row.put("run", r);
            row.put("kind", EntryView.kind(r));
            row.put("entry", entry == null ? "—" : entry.name() + " (" + entry.team() + ")");
            row.put("status", r.status().id());
            row.put("board", r.hidden() ? "hidden" : onBoards.contains(r.id()) ? "on the board" : "not on the board");
            rows.add(row);
        }
        Collections.reverse(rows);
        return rows;
    }

    private void unauthorized(Context ctx) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"brainfm organiser\"");
        problem(ctx, HttpStatus.UNAUTHORIZED, token.configured()
                ? "organiser actions need the organiser's token (BRAINFM_ADMIN_TOKEN)"
                : "organiser actions are off: the server was started without BRAINFM_ADMIN_TOKEN");
    }

    // ---- helpers -----------------------------------------------------------------------

    private Map<Long, RankInterval> intervals(Snapshot s) {
        try {
            return s.intervals.get(INTERVAL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("rank intervals failed: " + e.getCause(), e.getCause());
        }
    }

    private static List<TaskDef> rankedTasks(Snapshot s) {
        List<TaskDef> tasks = new ArrayList<>();
        for (String id : s.rankedTasks) {
            tasks.add(s.boards.get(id).task());
        }
        return tasks;
    }

    private static Map<String, String> taskLinks(List<TaskDef> tasks) {
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
            row.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
            row.put("device", r.deviceCount() == 1 ? r.deviceName() : r.deviceCount() + " x " + r.deviceName());
            row.put("deviceType", r.deviceType().toUpperCase(java.util.Locale.ROOT));
            rows.add(row);
        }
        return rows;
    }

    private static EntryInfo shownEntry(Snapshot s, String idText) {
        long id = id("entry", idText);
        EntryInfo entry = s.entries.get(id);
        if (entry == null || entry.hidden()) {
            throw new NotFound("no entry " + idText);
        }
        return entry;
    }

    private static long id(String what, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NotFound("no " + what + " " + text);
        }
    }

    private void problem(Context ctx, HttpStatus status, String message) {
        ctx.attribute(PROBLEM, message);
        ctx.status(status);
        if (ctx.path().startsWith("/api/") || ctx.header("Authorization") != null) {
            json(ctx, Api.bytes(Api.object().put("status", status.getCode()).put("error", message)));
        } else {
            ctx.contentType(HTML).result(pages.render("problem", "", vars("status", status.getCode(),
                    "reason", status.getMessage(), "message", message)));
        }
    }

    private static void html(Context ctx, byte[] body) {
        ctx.contentType(HTML).result(body);
    }

    private static void json(Context ctx, byte[] body) {
        ctx.contentType(JSON).result(body);
    }

    private static void download(Context ctx, String name, byte[] body) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + name.replace("\"", "") + "\"");
        ctx.contentType(CSV).result(body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> vars(Object... keysAndValues) {
        Map<String, Object> vars = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            vars.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return vars;
    }

    /** A page or record that does not exist (or is hidden), named. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }
}
