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
 * or showing an entry or a run, the only writes of the site. A script shows the token
 * ({@link AdminToken}) as a bearer header with each request and gets JSON; a person signs in
 * once with it through the page's form, which opens a session ({@link AdminSessions}), and the
 * page's forms carry that session's CSRF token, never the token. Refusals are limited and logged
 * per client address ({@link Attempts}). A write drops the cached boards at once
 * ({@link Boards#changed()}). The page is never cached.
 */
final class AdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    private final Boards boards;
    private final Pages pages;
    private final AdminToken token;
    private final AdminSessions sessions = new AdminSessions();
    private final Attempts attempts = new Attempts();

    AdminRoutes(Boards boards, Pages pages, AdminToken token) {
        this.boards = boards;
        this.pages = pages;
        this.token = token;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin", ctx -> page(ctx, sessions.find(ctx), null));
        routes.post("/admin", this::signIn);
        routes.post("/admin/entries/{id}/hidden", ctx -> setHidden(ctx, "entry",
                id -> boards.records().entries().get(id).isPresent(), (id, hidden) -> boards.records().entries().setHidden(id, hidden)));
        routes.post("/admin/runs/{id}/hidden", ctx -> setHidden(ctx, "run",
                id -> boards.records().runs().get(id).isPresent(), (id, hidden) -> boards.records().runs().setHidden(id, hidden)));
        routes.exception(Refused.class, this::refused);
    }

    /** The token, as a bearer header or in the page's form: a session opens, and the page lists everything. */
    private void signIn(Context ctx) {
        admit(ctx);
        if (!token.bearer(ctx.header("Authorization")) && !token.matches(Lookups.formParam(ctx, "token"))) {
            throw refuse(ctx);
        }
        String id = sessions.open();
        ctx.cookie(AdminSessions.cookie(ctx, id));
        page(ctx, sessions.find(id), null);
    }

    /** Hides or shows an entry or a run ({@code what}): credentials first, then the id, then the flag. */
    private void setHidden(Context ctx, String what, LongPredicate exists, ObjLongBoolConsumer set) {
        AdminSessions.Session session = authorize(ctx);
        long id = Lookups.id(what, ctx.pathParam("id"));
        String form = Lookups.formParam(ctx, "hidden");
        String value = form != null ? form : ctx.queryParam("hidden");
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
        if (session == null) {
            Responses.json(ctx, ApiJson.bytes(ApiJson.object().put(what + "_id", id).put("hidden", hidden)));
        } else {
            String name = Character.toUpperCase(what.charAt(0)) + what.substring(1);
            page(ctx, session, name + " " + id + " is now " + (hidden ? "hidden" : "shown") + ".");
        }
    }

    /**
     * The session an action came in, its form carrying the session's CSRF token; null when it came
     * with the token as a bearer header. Anything else is refused.
     */
    private AdminSessions.Session authorize(Context ctx) {
        admit(ctx);
        if (token.bearer(ctx.header("Authorization"))) {
            return null;
        }
        AdminSessions.Session session = sessions.find(ctx);
        if (session == null) {
            throw refuse(ctx);
        }
        if (!session.csrfMatches(Lookups.formParam(ctx, "csrf"))) {
            throw new Refused(HttpStatus.FORBIDDEN, "this form does not come from the organiser's page as it is now;"
                    + " open /admin again", 0);
        }
        return session;
    }

    /** Turns an address away while it has too many refusals, its credentials unread. */
    private void admit(Context ctx) {
        long wait = attempts.secondsToWait(ctx.ip());
        if (wait > 0) {
            throw new Refused(HttpStatus.TOO_MANY_REQUESTS, "too many refused attempts from this address; try again in "
                    + wait + " s", wait);
        }
    }

    /** A refusal of credentials, counted against the address and logged (never what was sent). */
    private Refused refuse(Context ctx) {
        if (attempts.refused(ctx.ip())) {
            LOG.warn("organiser credentials refused for {} on {} {} (more refusals of it within a minute go unlogged)",
                    ctx.ip(), ctx.method(), ctx.path());
        }
        return new Refused(HttpStatus.UNAUTHORIZED, token.configured()
                ? "organiser actions need the organiser's token (BRAINFM_ADMIN_TOKEN)"
                : "organiser actions are off: the server was started without BRAINFM_ADMIN_TOKEN", 0);
    }

    private void refused(Refused e, Context ctx) {
        if (e.status == HttpStatus.UNAUTHORIZED) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"brainfm organiser\"");
        }
        if (e.retryAfter > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfter));
        }
        Responses.problem(ctx, pages, e.status, e.getMessage());
    }

    /** An organiser request refused: its status, and the seconds to wait before trying again (0: none said). */
    private static final class Refused extends RuntimeException {
        final HttpStatus status;
        final long retryAfter;

        Refused(HttpStatus status, String message, long retryAfter) {
            super(message, null, false, false);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    /** Sets a hidden flag by id. */
    @FunctionalInterface
    private interface ObjLongBoolConsumer {
        void accept(long id, boolean hidden);
    }

    private void page(Context ctx, AdminSessions.Session session, String message) {
        ctx.header("Cache-Control", "no-store");
        boolean authorized = session != null;
        Responses.htmlText(ctx, pages.render("admin", "admin", Responses.vars(
                "configured", token.configured(), "authorized", authorized, "message", message,
                "csrf", authorized ? session.csrf() : null,
                "entries", authorized ? boards.records().entries().all() : List.of(),
                "runs", authorized ? runs(boards.current()) : List.of())));
    }

    /**
     * The runs an organiser may hide or show, newest first: every scoring run, and any other
     * run that is hidden (so that it can be shown again), each with where it stands.
     */
    private static List<Map<String, Object>> runs(Snapshot s) {
        Set<Long> onBoards = new HashSet<>();
        s.boards.values().forEach(b -> b.rows().forEach(r -> r.row().seedRuns().forEach(sr -> onBoards.add(sr.runId()))));
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
}
