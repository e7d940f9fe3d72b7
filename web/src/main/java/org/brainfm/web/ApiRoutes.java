package org.brainfm.web;

import static org.brainfm.web.Responses.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.brainfm.records.EntryRow;

/**
 * The JSON API under {@code /api/}: the boards, the tasks, an entry and the comparison, as
 * {@link ApiJson} writes them. Like the pages, the JSON of a task board, of the comparison and of
 * the leaderboard (once its rank intervals are in) is kept with the {@link Snapshot}.
 */
final class ApiRoutes {
    private final Boards boards;

    ApiRoutes(Boards boards) {
        this.boards = boards;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/leaderboard", this::leaderboard);
        routes.get("/api/tasks", this::tasks);
        routes.get("/api/tasks/{task}", this::task);
        routes.get("/api/entries/{id}", this::entry);
        routes.get("/api/compare", this::compare);
    }

    private void leaderboard(Context ctx) {
        Snapshot s = boards.current();
        Map<Long, RankInterval> intervals = Lookups.intervals(s);
        if (intervals == null) {
            json(ctx, ApiJson.bytes(ApiJson.leaderboard(s, null)));
        } else {
            json(ctx, s.derived("json:leaderboard", x -> ApiJson.bytes(ApiJson.leaderboard(x, intervals))));
        }
    }

    private void tasks(Context ctx) {
        json(ctx, ApiJson.bytes(ApiJson.object().set("tasks", ApiJson.tasks(boards.current()))));
    }

    private void task(Context ctx) {
        Snapshot s = boards.current();
        String taskId = ctx.pathParam("task");
        TaskBoard.Show show = Lookups.show(ctx);
        TaskBoard board = Lookups.taskBoard(s, taskId, show);
        json(ctx, s.derived("json:task:" + taskId + ":" + show.id(), x -> ApiJson.bytes(ApiJson.taskBoard(board, show))));
    }

    private void entry(Context ctx) {
        Snapshot s = boards.current();
        EntryRow entry = Lookups.shownEntry(s, ctx.pathParam("id"));
        json(ctx, ApiJson.bytes(ApiJson.entry(EntryView.of(s, boards.records(), entry))));
    }

    private void compare(Context ctx) {
        json(ctx, boards.current().derived("json:compare",
                s -> ApiJson.bytes(ApiJson.comparison(s.derived("compare", Comparison::of)))));
    }
}
