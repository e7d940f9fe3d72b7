package org.brainfm.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.brainfm.records.EntryRow;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organiser's actions under {@code /admin}: the page listing entries, runs, a challenge's
 * phases, teams, submissions and the audit trail; hiding or showing an entry or a run, opening
 * or closing a phase, scoring a submission again, choosing a team's final entry - each written
 * to the audit trail. A script shows the token
 * ({@link AdminToken}) as a bearer header with each request and gets JSON; a person signs in
 * once with it through the page's form, which opens a session ({@link Sessions}), and the
 * page's forms carry that session's CSRF token, never the token. Refusals are limited and logged
 * per client address ({@link Attempts}). A write drops the cached boards at once
 * ({@link Boards#changed()}). The page is never cached.
 */
final class AdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    private final Boards boards;
    private final Pages pages;
    private final AdminToken token;
    private final Sessions sessions = new Sessions("brainfm_admin", "/admin");
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
        routes.post("/admin/phases/{id}/state", this::setPhaseState);
        routes.get("/admin/submissions/{id}/logs", this::logs);
        routes.post("/admin/submissions/{id}/rescore", ctx -> submissionAction(ctx, "rescore"));
        routes.post("/admin/submissions/{id}/final", ctx -> submissionAction(ctx, "final"));
    }

    /** The token, as a bearer header or in the page's form: a session opens, and the page lists everything. */
    private void signIn(Context ctx) {
        attempts.admit(ctx);
        if (!token.bearer(ctx.header("Authorization")) && !token.matches(Lookups.formParam(ctx, "token"))) {
            throw refuse(ctx);
        }
        String id = sessions.open(0);
        ctx.cookie(sessions.cookie(ctx, id));
        page(ctx, sessions.find(id), null);
    }

    /** Hides or shows an entry or a run ({@code what}): credentials first, then the id, then the flag. */
    private void setHidden(Context ctx, String what, LongPredicate exists, ObjLongBoolConsumer set) {
        Sessions.Session session = authorize(ctx);
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
        done(ctx, session, what + " " + (hidden ? "hidden" : "shown"), what + " " + id,
                ApiJson.object().put(what + "_id", id).put("hidden", hidden),
                Character.toUpperCase(what.charAt(0)) + what.substring(1) + " " + id + " is now " + (hidden ? "hidden" : "shown") + ".");
    }

    /** Opens or closes a phase now ({@code state=open|closed}). */
    private void setPhaseState(Context ctx) {
        Sessions.Session session = authorize(ctx);
        long id = Lookups.id("phase", ctx.pathParam("id"));
        String state = Lookups.formParam(ctx, "state");
        if (!"open".equals(state) && !"closed".equals(state)) {
            throw new BadRequest("state", "is " + (state == null ? "missing" : "'" + state + "'") + "; give open or closed");
        }
        PhaseRow phase = boards.records().phases().get(id).orElseThrow(() -> new NotFound("no phase " + id));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (state.equals("open")) {
            boards.records().phases().open(id, now);
        } else {
            boards.records().phases().close(id, now);
        }
        done(ctx, session, "phase " + (state.equals("open") ? "opened" : "closed"), "phase " + phase.name(),
                ApiJson.object().put("phase", phase.name()).put("state", state), "Phase " + phase.name() + " is now " + state + ".");
    }

    /** The last {@value #LOG_BYTES} bytes of each task's model log of a submission (text; the organiser's eyes only). */
    private void logs(Context ctx) throws IOException {
        attempts.admit(ctx);
        if (!token.bearer(ctx.header("Authorization")) && sessions.find(ctx) == null) {
            throw refuse(ctx);
        }
        long id = Lookups.id("submission", ctx.pathParam("id"));
        SubmissionRow s = boards.records().submissions().get(id).orElseThrow(() -> new NotFound("no submission " + id));
        StringBuilder text = new StringBuilder();
        // where scoring keeps its work (submission.EntryScoring): beside the stored entry, one folder per task
        Path work = Path.of(s.folder()).resolveSibling(s.sha256() + ".scoring");
        if (Files.isDirectory(work)) {
            try (var tasks = Files.list(work)) {
                for (Path task : tasks.sorted().toList()) {
                    Path log = task.resolve("model.log");
                    if (Files.isRegularFile(log)) {
                        text.append("== ").append(task.getFileName()).append(" (model.log)\n").append(tail(log)).append('\n');
                    }
                }
            }
        }
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("text/plain; charset=utf-8");
        ctx.result(text.length() == 0 ? "submission " + id + " has no model log (only model entries run in their own JVM)\n"
                : text.toString());
    }

    private static final int LOG_BYTES = 64 * 1024;

    private static String tail(Path log) throws IOException {
        try (var file = FileChannel.open(log)) {
            long size = file.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, LOG_BYTES));
            file.read(buffer, size - buffer.capacity());
            return (size > LOG_BYTES ? "[... " + (size - LOG_BYTES) + " bytes before]\n" : "")
                    + new String(buffer.array(), StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code rescore}: a scored or failed submission goes back to the queue; {@code final}: it
     * becomes its team's final entry of its phase (what the phase's board shows for the team).
     */
    private void submissionAction(Context ctx, String action) {
        Sessions.Session session = authorize(ctx);
        long id = Lookups.id("submission", ctx.pathParam("id"));
        SubmissionRow s = boards.records().submissions().get(id).orElseThrow(() -> new NotFound("no submission " + id));
        if (action.equals("rescore")) {
            if (s.status() != SubmissionStatus.SCORED && s.status() != SubmissionStatus.FAILED) {
                throw new BadRequest("submission " + id, "is " + s.status().id() + "; only a scored or failed one is scored again");
            }
            boards.records().submissions().setStatus(id, SubmissionStatus.VALID, List.of());
            done(ctx, session, "submission queued again", "submission " + id, ApiJson.object().put("submission_id", id).put("status", "valid"),
                    "Submission " + id + " is queued to be scored again.");
        } else {
            if (s.phaseId() == null || s.status() != SubmissionStatus.SCORED) {
                throw new BadRequest("submission " + id, "is not a scored submission of a phase");
            }
            boards.records().submissions().chooseFinal(id);
            boards.changed();
            done(ctx, session, "final entry chosen", "submission " + id + " of " + s.team(),
                    ApiJson.object().put("submission_id", id).put("final", true),
                    "Submission " + id + " is now the final entry of " + s.team() + " in its phase.");
        }
    }

    /** After an organiser's action: the audit trail, the log, and the answer (JSON for a script, the page for a person). */
    private void done(Context ctx, Sessions.Session session, String action, String what, ObjectNode json, String message) {
        boards.records().audit().write(session == null ? "organiser (token, " + ctx.ip() + ")" : "organiser (page, " + ctx.ip() + ")",
                action, what);
        LOG.info("{}: {} by the organiser", what, action);
        if (session == null) {
            Responses.json(ctx, ApiJson.bytes(json));
        } else {
            page(ctx, session, message);
        }
    }

    /**
     * The session an action came in, its form carrying the session's CSRF token; null when it came
     * with the token as a bearer header. Anything else is refused.
     */
    private Sessions.Session authorize(Context ctx) {
        attempts.admit(ctx);
        if (token.bearer(ctx.header("Authorization"))) {
            return null;
        }
        Sessions.Session session = sessions.find(ctx);
        if (session == null) {
            throw refuse(ctx);
        }
        if (!session.csrfMatches(Lookups.formParam(ctx, "csrf"))) {
            throw new Refused(HttpStatus.FORBIDDEN, "this form does not come from the organiser's page as it is now;"
                    + " open /admin again", 0, null);
        }
        return session;
    }

    /** A refusal of credentials, counted against the address and logged (never what was sent). */
    private Refused refuse(Context ctx) {
        if (attempts.refused(ctx.ip())) {
            LOG.warn("organiser credentials refused for {} on {} {} (more refusals of it within a minute go unlogged)",
                    ctx.ip(), ctx.method(), ctx.path());
        }
        return new Refused(HttpStatus.UNAUTHORIZED, token.configured()
                ? "organiser actions need the organiser's token (BRAINFM_ADMIN_TOKEN)"
                : "organiser actions are off: the server was started without BRAINFM_ADMIN_TOKEN", 0, "brainfm organiser");
    }

    /** Sets a hidden flag by id. */
    @FunctionalInterface
    private interface ObjLongBoolConsumer {
        void accept(long id, boolean hidden);
    }

    private void page(Context ctx, Sessions.Session session, String message) {
        ctx.header("Cache-Control", "no-store");
        boolean authorized = session != null;
        Responses.htmlText(ctx, pages.render("admin", "admin", Responses.vars(
                "configured", token.configured(), "authorized", authorized, "message", message,
                "csrf", authorized ? session.csrf() : null,
                "entries", authorized ? boards.records().entries().all() : List.of(),
                "runs", authorized ? runs(boards.current()) : List.of(),
                "phases", authorized ? phases() : List.of(),
                "teams", authorized ? boards.records().teams().all() : List.of(),
                "queue", authorized ? queue() : List.of(),
                "audit", authorized ? boards.records().audit().latest(50) : List.of())));
    }

    private List<Map<String, Object>> phases() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return boards.records().phases().all().stream().map(p -> Map.<String, Object>of("phase", p, "state", p.state(now),
                "open", p.isOpen(now))).toList();
    }

    /** Every uploaded submission, newest first, with its phase's name and its reasons. */
    private List<Map<String, Object>> queue() {
        Map<Long, String> phaseNames = new HashMap<>();
        boards.records().phases().all().forEach(p -> phaseNames.put(p.id(), p.name()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SubmissionRow s : boards.records().submissions().all()) {
            Map<String, Object> row = new HashMap<>();
            row.put("submission", s);
            row.put("phase", s.phaseId() == null ? "—" : phaseNames.getOrDefault(s.phaseId(), "?"));
            rows.add(row);
        }
        Collections.reverse(rows);
        return rows;
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
            row.put("board", r.hidden() ? "hidden" : r.phaseId() != null ? "a phase's board" : onBoards.contains(r.id()) ? "on the board"
                    : "not on the board");
            rows.add(row);
        }
        Collections.reverse(rows);
        return rows;
    }
}
