package org.brainfm.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import org.brainfm.records.EntryRow;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organiser's actions under {@code /admin}: the page listing entries and runs, and hiding
 * or showing an entry or a run. The only writes of the site, each behind the organiser's
 * token; a write drops the cached boards at once ({@link Boards#changed()}). The page is never
 * cached: its forms carry the token.
 */
final class AdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    private final Boards boards;
    private final Pages pages;
    private final AdminToken token;

    AdminRoutes(Boards boards, Pages pages, AdminToken token) {
        this.boards = boards;
        this.pages = pages;
        this.token = token;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin", ctx -> page(ctx, false, null));
        routes.post("/admin", this::list);
        routes.post("/admin/entries/{id}/hidden", ctx -> setHidden(ctx, "entry",
                id -> boards.records().entries().get(id).isPresent(), (id, hidden) -> boards.records().entries().setHidden(id, hidden)));
        routes.post("/admin/runs/{id}/hidden", ctx -> setHidden(ctx, "run",
                id -> boards.records().runs().get(id).isPresent(), (id, hidden) -> boards.records().runs().setHidden(id, hidden)));
    }

    private void list(Context ctx) {
        if (token.check(ctx.header("Authorization"), ctx.formParam("token")) == AdminToken.Proof.NONE) {
            unauthorized(ctx);
            return;
        }
        page(ctx, true, null);
    }

    /** Hides or shows an entry or a run ({@code what}): token first, then the id, then the flag. */
    private void setHidden(Context ctx, String what, LongPredicate exists, ObjLongBoolConsumer set) {
        AdminToken.Proof proof = token.check(ctx.header("Authorization"), ctx.formParam("token"));
        if (proof == AdminToken.Proof.NONE) {
            unauthorized(ctx);
            return;
        }
        long id = Lookups.id(what, ctx.pathParam("id"));
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
            Responses.json(ctx, ApiJson.bytes(ApiJson.object().put(what + "_id", id).put("hidden", hidden)));
        } else {
            String name = Character.toUpperCase(what.charAt(0)) + what.substring(1);
            page(ctx, true, name + " " + id + " is now " + (hidden ? "hidden" : "shown") + ".");
        }
    }

    /** Sets a hidden flag by id. */
    @FunctionalInterface
    private interface ObjLongBoolConsumer {
        void accept(long id, boolean hidden);
    }

    private void page(Context ctx, boolean authorized, String message) {
        ctx.header("Cache-Control", "no-store");
        Responses.htmlText(ctx, pages.render("admin", "admin", Responses.vars(
                "configured", token.configured(), "authorized", authorized, "message", message,
                "token", authorized ? ctx.formParam("token") : null,
                "entries", authorized ? boards.records().entries().all() : List.of(),
                "runs", authorized ? runs(boards.current()) : List.of())));
    }

    /**
     * The runs an organiser may hide or show, newest first: every scoring run, and any other
     * run that is hidden (so that it can be shown again), each with where it stands.
     */
    private static List<Map<String, Object>> runs(Snapshot s) {
        Set<Long> onBoards = new HashSet<>();
        s.boards.values().forEach(b -> b.rows().forEach(r -> onBoards.add(r.row().runId())));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunRow r : s.runs.values()) {
            if (r.kind() != RunKind.SCORE && !r.hidden()) {
                continue;
            }
            EntryRow entry = r.entryId() == null ? null : s.entries.get(r.entryId());
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
        Responses.problem(ctx, pages, HttpStatus.UNAUTHORIZED, token.configured()
                ? "organiser actions need the organiser's token (BRAINFM_ADMIN_TOKEN)"
                : "organiser actions are off: the server was started without BRAINFM_ADMIN_TOKEN");
    }
}
