package org.brainfm.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The CSV exports under {@code /export/}: the overall board, a task's board, and every public
 * per-case result (large: written once per {@link Snapshot} to a file, {@link ExportFiles}, and
 * served from it).
 */
final class ExportRoutes {
    private final Boards boards;

    ExportRoutes(Boards boards) {
        this.boards = boards;
    }

    void register(RoutesConfig routes) {
        routes.get("/export/leaderboard.csv", this::overall);
        routes.get("/export/tasks/{file}", this::task);
        routes.get("/export/cases.csv", this::cases);
    }

    private void overall(Context ctx) {
        Snapshot s = boards.current();
        Map<Long, RankInterval> intervals = Lookups.intervals(s);
        byte[] body = intervals == null ? Csv.overall(s, null) : s.derived("csv:overall", x -> Csv.overall(x, intervals));
        Responses.download(ctx, "leaderboard.csv", body);
    }

    private void task(Context ctx) {
        Snapshot s = boards.current();
        String file = ctx.pathParam("file");
        if (!file.endsWith(".csv")) {
            throw new NotFound("no export " + file + "; task boards export as /export/tasks/<task>.csv");
        }
        String taskId = file.substring(0, file.length() - 4);
        TaskBoard board = Lookups.taskBoard(s, taskId, TaskBoard.Show.ALL);
        Responses.download(ctx, Links.segment(taskId) + ".csv", s.derived("csv:task:" + taskId, x -> Csv.task(board)));
    }

    private void cases(Context ctx) throws IOException {
        Snapshot s = boards.current();
        String taskId = ctx.queryParam("task");
        if (taskId != null && !s.boards.containsKey(taskId)) {
            throw Lookups.noTask(taskId);
        }
        InputStream csv = s.exports.open(taskId == null ? "cases" : "cases:" + taskId,
                out -> Csv.cases(s, boards.records(), taskId, out));
        Responses.attachment(ctx, "cases.csv");
        ctx.result(csv);
    }
}
