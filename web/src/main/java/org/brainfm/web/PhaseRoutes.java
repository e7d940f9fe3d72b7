package org.brainfm.web;

import static org.brainfm.web.Responses.vars;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.records.EntryRow;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.TaskRow;

/**
 * A challenge's public pages: its phases by track ({@code /phases}, {@code ?track=} for one) and
 * each phase's boards ({@code /phases/{name}}): one row per team, the submission its rule or the
 * organiser chose, with its method and paper, aggregates and CIs, and the pairwise significance of
 * the top teams - a phase's per-case results are never public here.
 */
final class PhaseRoutes {
    private final Boards boards;
    private final Pages pages;

    PhaseRoutes(Boards boards, Pages pages) {
        this.boards = boards;
        this.pages = pages;
    }

    void register(RoutesConfig routes) {
        routes.get("/phases", this::phases);
        routes.get("/phases/{name}", this::phase);
        routes.get("/api/phases/{name}", this::phaseJson);
    }

    private void phases(Context ctx) {
        String track = ctx.queryParam("track");
        List<PhaseRow> all = boards.records().phases().all();
        List<String> tracks = all.stream().map(PhaseRow::track).distinct().toList();
        if (track != null && !tracks.contains(track)) {
            throw new NotFound("no track " + track);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PhaseRow p : all) {
            if (track == null || p.track().equals(track)) {
                rows.add(Map.of("phase", p, "state", p.state(now), "href", "/phases/" + Links.segment(p.name())));
            }
        }
        Responses.htmlText(ctx, pages.render("phases", "phases", vars("phases", rows, "tracks", tracks, "track", track,
                "trackLinks", tracks.stream().map(t -> Map.of("track", t, "href", "/phases?track=" + Links.segment(t))).toList())));
    }

    private void phase(Context ctx) {
        PhaseRow p = phase(ctx.pathParam("name"));
        Snapshot s = boards.current();
        List<Map<String, Object>> shown = new ArrayList<>();
        for (TaskBoard b : boards(s, p)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (TaskStanding r : b.rows()) {
                EntryRow entry = s.entries.get(r.row().entryId());
                Map<String, Object> row = new HashMap<>(entry == null ? Map.of() : EntryView.method(s, entry));
                row.put("standing", r);
                rows.add(row);
            }
            shown.add(Map.of("board", b, "rows", rows, "pairs",
                    s.derived("phase-pairs:" + p.id() + ":" + p.rule().id() + ":" + b.task().id(), x -> PageRoutes.pairwise(x, b))));
        }
        Responses.htmlText(ctx, pages.render("phase", "phases", vars("phase", p, "state", p.state(OffsetDateTime.now(ZoneOffset.UTC)),
                "boards", shown)));
    }

    private void phaseJson(Context ctx) {
        PhaseRow p = phase(ctx.pathParam("name"));
        var json = ApiJson.object().put("phase", p.name()).put("track", p.track()).put("split", p.split().id())
                .put("state", p.state(OffsetDateTime.now(ZoneOffset.UTC))).put("rule", p.rule().id());
        var tasks = json.putObject("boards");
        for (TaskBoard b : boards(boards.current(), p)) {
            tasks.set(b.task().id(), ApiJson.taskBoard(b, TaskBoard.Show.ALL));
        }
        Responses.json(ctx, ApiJson.bytes(json));
    }

    private PhaseRow phase(String name) {
        return boards.records().phases().byName(name).orElseThrow(() -> new NotFound("no phase " + name));
    }

    /** The phase's board of each of its tasks, made once per state of the records and rule. */
    private List<TaskBoard> boards(Snapshot s, PhaseRow p) {
        return s.derived("phase:" + p.id() + ":" + p.rule().id(), x -> {
            List<TaskBoard> list = new ArrayList<>();
            for (String taskId : p.tasks()) {
                x.tasks.stream().filter(t -> t.id().equals(taskId)).findFirst().ifPresent(task -> list.add(
                        TaskBoard.rank(task, boards.records().board().forPhase(p, taskId, rankBy(task)))));
            }
            return List.copyOf(list);
        });
    }

    /** The metric a phase's "best" rule ranks a team's submissions by: the task type's headline. */
    static Metric rankBy(TaskRow task) {
        return switch (task.type()) {
            case SEGMENTATION -> Metric.DICE;
            case CLASSIFICATION -> Metric.AUROC;
            case REGRESSION -> Metric.MAE;
        };
    }
}
