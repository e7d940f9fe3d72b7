package org.brainfm.web;

import static org.brainfm.web.Responses.vars;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.brainfm.challenge.Challenge;
import org.brainfm.challenge.Uploads;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseScore;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.Records;
import org.brainfm.records.RunRow;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.TeamRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a team does on the site with its token (docs/challenge.md): upload an entry to a phase
 * ({@code POST /api/submissions?phase=P} with the token as a bearer header, or the {@code /team}
 * page after signing in), and follow its own submissions - status, reasons, scores, and per-case
 * results where the phase makes them public. A team sees only its own: another team's submission
 * is "not found", as one that does not exist. Credentials and the phase's rules are checked before
 * a byte of the body is read; every refusal is answered with its reason and written to the audit
 * trail; wrong tokens are limited per address ({@link Attempts}).
 */
final class TeamRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(TeamRoutes.class);
    private static final String REALM = "brainfm team";
    /** Room for a multipart body's boundaries and form fields beyond the file itself. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final Boards boards;
    private final Pages pages;
    private final Uploads uploads;
    private final Sessions sessions = new Sessions("brainfm_team", "/");
    private final Attempts attempts = new Attempts();

    /** @param uploads where uploads go; null: the site takes none (503) */
    TeamRoutes(Boards boards, Pages pages, Uploads uploads) {
        this.boards = boards;
        this.pages = pages;
        this.uploads = uploads;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/submissions", this::apiUpload);
        routes.get("/api/submissions", ctx -> Responses.json(ctx, ApiJson.bytes(list(bearer(ctx)))));
        routes.get("/api/submissions/{id}", ctx -> Responses.json(ctx, ApiJson.bytes(json(own(bearer(ctx), ctx.pathParam("id"))))));
        routes.get("/team", ctx -> page(ctx, sessions.find(ctx), sentMessage(ctx)));
        routes.post("/team", this::signIn);
        routes.post("/team/uploads", this::pageUpload);
        routes.get("/submissions/{id}", this::submissionPage);
    }

    // ---- the API

    private void apiUpload(Context ctx) throws IOException {
        TeamRow team = bearer(ctx);
        Uploads.Received received = upload(ctx, team, ctx.queryParam("phase"));
        ctx.status(received.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED);
        Responses.json(ctx, ApiJson.bytes(ApiJson.object().put("submission_id", received.submissionId())
                .put("duplicate", received.duplicate()).put("status_url", "/api/submissions/" + received.submissionId())));
    }

    private ObjectNode list(TeamRow team) {
        ObjectNode json = ApiJson.object().put("team", team.name());
        ArrayNode items = json.putArray("submissions");
        records().submissions().ofTeam(team.id()).forEach(s -> items.add(summary(s)));
        return json;
    }

    private ObjectNode summary(SubmissionRow s) {
        ObjectNode o = ApiJson.object().put("id", s.id()).put("phase", phaseName(s)).put("entry", s.entryName())
                .put("kind", s.kind() == null ? null : s.kind().id()).put("status", s.status().id())
                .put("received_at", s.received().toString()).put("updated_at", s.updated().toString());
        s.reasons().forEach(o.putArray("reasons")::add);
        if (s.reasons().isEmpty()) {
            o.putArray("reasons");
        }
        return o;
    }

    private ObjectNode json(SubmissionRow s) {
        ObjectNode o = summary(s);
        ObjectNode results = o.putObject("results");
        for (TaskResult t : results(s)) {
            ObjectNode task = results.putObject(t.task());
            for (AggregateScore a : t.aggregates()) {
                task.putObject(a.metric()).put("score", a.score()).put("ci_low", a.ciLow()).put("ci_high", a.ciHigh()).put("n", a.n());
            }
            if (t.cases() != null) {
                ArrayNode cases = task.putArray("cases");
                t.cases().forEach(c -> cases.addObject().put("case", c.caseId()).put("metric", c.metric()).put("score", c.score())
                        .put("flag", c.flag() == null ? null : c.flag().id()).put("reason", c.reason()));
            }
        }
        return o;
    }

    /** The bearer token's team; anything else is refused (and counted against the address). */
    private TeamRow bearer(Context ctx) {
        attempts.admit(ctx);
        String header = ctx.header("Authorization");
        Optional<TeamRow> team = header != null && header.startsWith("Bearer ")
                ? records().teams().byToken(header.substring("Bearer ".length()).strip()) : Optional.empty();
        return team.orElseThrow(() -> refuse(ctx));
    }

    // ---- the pages

    private void signIn(Context ctx) {
        attempts.admit(ctx);
        TeamRow team = records().teams().byToken(Lookups.formParam(ctx, "token")).orElseThrow(() -> refuse(ctx));
        ctx.cookie(sessions.cookie(ctx, sessions.open(team.id())));
        ctx.redirect("/team", HttpStatus.SEE_OTHER);   // a reload then repeats nothing
    }

    private void pageUpload(Context ctx) throws IOException {
        Sessions.Session session = session(ctx);
        TeamRow team = records().teams().get(session.subject()).orElseThrow(() -> refuse(ctx));
        if (!session.csrfMatches(Lookups.formParam(ctx, "csrf"))) {
            throw new Refused(HttpStatus.FORBIDDEN, "this form does not come from your team's page as it is now; open /team again",
                    0, null);
        }
        Uploads.Received r = upload(ctx, team, Lookups.formParam(ctx, "phase"));
        // to the team's page: a reload of it sends nothing again
        ctx.redirect("/team?" + (r.duplicate() ? "again=" : "sent=") + r.submissionId(), HttpStatus.SEE_OTHER);
    }

    /** What the page says after an upload redirected to it. */
    private static String sentMessage(Context ctx) {
        String sent = ctx.queryParam("sent");
        String again = ctx.queryParam("again");
        if (sent != null && sent.matches("\\d{1,18}")) {
            return "Submission " + sent + " received; it is checked and scored in the background (reload this page to follow it).";
        }
        if (again != null && again.matches("\\d{1,18}")) {
            return "Submission " + again + ": the same archive was sent before.";
        }
        return null;
    }

    private void submissionPage(Context ctx) {
        Sessions.Session session = session(ctx);
        TeamRow team = records().teams().get(session.subject()).orElseThrow(() -> refuse(ctx));
        SubmissionRow s = own(team, ctx.pathParam("id"));
        ctx.header("Cache-Control", "no-store");
        Responses.htmlText(ctx, pages.render("submission", "team", vars("team", team, "s", s, "phase", phaseName(s),
                "results", results(s))));
    }

    private void page(Context ctx, Sessions.Session session, String message) {
        ctx.header("Cache-Control", "no-store");
        TeamRow team = session == null ? null : records().teams().get(session.subject()).orElse(null);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (team != null) {
            for (SubmissionRow s : records().submissions().ofTeam(team.id())) {
                rows.add(Map.of("submission", s, "phase", phaseName(s)));
            }
        }
        Responses.htmlText(ctx, pages.render("team", "team", vars("team", team, "message", message,
                "csrf", team == null ? null : session.csrf(), "uploadsOn", uploads != null,
                "maxMiB", uploads == null ? 0 : uploads.maxBytes() / (1024 * 1024),
                "phases", records().phases().all().stream().filter(p -> p.isOpen(now)).toList(), "submissions", rows)));
    }

    private Sessions.Session session(Context ctx) {
        attempts.admit(ctx);
        Sessions.Session session = sessions.find(ctx);
        if (session == null) {
            throw refuse(ctx);
        }
        return session;
    }

    // ---- shared

    /**
     * Takes one upload of {@code team} to {@code phaseName}: the phase's rules first, then the
     * body, bounded as it streams in.
     */
    private Uploads.Received upload(Context ctx, TeamRow team, String phaseName) throws IOException {
        if (uploads == null) {
            throw new Refused(HttpStatus.SERVICE_UNAVAILABLE, "this site takes no uploads (brainfm serve was started without a store)",
                    0, null);
        }
        if (phaseName == null || phaseName.isBlank()) {
            throw new BadRequest("phase", "is missing; name the phase the entry is for (brainfm phases list, or /phases)");
        }
        PhaseRow phase = records().phases().byName(phaseName).orElseThrow(() -> new NotFound("no phase " + phaseName));
        Optional<Challenge.Refusal> refusal = Challenge.refusal(records(), team, phase, OffsetDateTime.now(ZoneOffset.UTC));
        if (refusal.isPresent()) {
            OffsetDateTime next = refusal.get().nextSlot();
            throw refused(ctx, team, phase, next == null ? HttpStatus.FORBIDDEN : HttpStatus.TOO_MANY_REQUESTS,
                    refusal.get().reason(), next == null ? 0
                            : Math.max(1, Duration.between(OffsetDateTime.now(ZoneOffset.UTC), next).toSeconds()));
        }
        long length = ctx.contentLength();
        if (length > uploads.maxBytes() + MULTIPART_OVERHEAD) {
            throw refused(ctx, team, phase, HttpStatus.CONTENT_TOO_LARGE, "the upload (" + length + " bytes) is larger than the "
                    + uploads.maxBytes() / (1024 * 1024) + " MiB a phase takes", 0);
        }
        UploadedFile file = file(ctx, team, phase);
        try (InputStream in = file.content()) {
            Uploads.Received r = uploads.receive(in, file.filename(), team, phase);
            LOG.info("submission {} received from team {} for phase {}{}", r.submissionId(), team.id(), phase.name(),
                    r.duplicate() ? " (the same archive as before)" : "");
            return r;
        } catch (Uploads.Refused e) {
            throw refused(ctx, team, phase, e.tooLarge() ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    e.getMessage(), 0);
        }
    }

    /** The multipart body's {@code file}: a body too large is a 413, a broken one a 400, one line in the log. */
    private UploadedFile file(Context ctx, TeamRow team, PhaseRow phase) {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (Exception e) {
            // Jetty's multipart parser throws what it likes (checked ones too, through Kotlin)
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("size") || m.contains("too large") || m.contains("exceed")) {
                    throw refused(ctx, team, phase, HttpStatus.CONTENT_TOO_LARGE, "the upload is larger than the "
                            + uploads.maxBytes() / (1024 * 1024) + " MiB a phase takes", 0);
                }
            }
            String reason = (e.getClass().getSimpleName() + ": " + e.getMessage()).replaceAll("\\p{Cntrl}", " ");
            LOG.warn("{} {} from {}: the body cannot be read as multipart ({})", ctx.method(), ctx.path(), ctx.ip(),
                    reason.length() > 200 ? reason.substring(0, 200) + "…" : reason);
            throw new BadRequest("the request's body", "cannot be read as a multipart upload with a 'file' part");
        }
        if (file == null) {
            throw new BadRequest("file", "is missing: send the entry's .zip or .tar.gz as the multipart part 'file'");
        }
        return file;
    }

    /** A refused upload, written to the audit trail with its reason. */
    private Refused refused(Context ctx, TeamRow team, PhaseRow phase, HttpStatus status, String reason, long retryAfter) {
        records().audit().write("team " + team.name(), "upload refused", "phase " + phase.name() + ": HTTP " + status.getCode()
                + ": " + reason);
        return new Refused(status, reason, retryAfter, null);
    }

    /** The team's own submission; any other id is not found, whether it exists or not. */
    private SubmissionRow own(TeamRow team, String idText) {
        long id = Lookups.id("submission", idText);
        return records().submissions().get(id).filter(s -> s.teamId() != null && s.teamId() == team.id())
                .orElseThrow(() -> new NotFound("no submission " + id + " of your team"));
    }

    /** One task's results of a submission; its cases only where the phase shows them to teams. */
    record TaskResult(String task, long runId, List<AggregateScore> aggregates, List<CaseScore> cases) {}

    private List<TaskResult> results(SubmissionRow s) {
        boolean cases = s.phaseId() != null && records().phases().get(s.phaseId()).map(PhaseRow::publicCases).orElse(false);
        Map<String, RunRow> latest = new LinkedHashMap<>();
        for (RunRow r : records().runs().ofSubmission(s.id())) {
            if (r.status() == org.brainfm.records.RunStatus.DONE && r.taskId() != null) {
                latest.put(r.taskId(), r);
            }
        }
        List<TaskResult> out = new ArrayList<>();
        latest.forEach((task, r) -> out.add(new TaskResult(task, r.id(), records().results().aggregates(r.id(), task),
                cases ? records().results().cases(r.id(), task) : null)));
        return out;
    }

    private String phaseName(SubmissionRow s) {
        return s.phaseId() == null ? null : records().phases().get(s.phaseId()).map(PhaseRow::name).orElse(null);
    }

    private Refused refuse(Context ctx) {
        if (attempts.refused(ctx.ip())) {
            LOG.warn("team credentials refused for {} on {} {} (more refusals of it within a minute go unlogged)", ctx.ip(),
                    ctx.method(), ctx.path());
            records().audit().write("address " + ctx.ip(), "team token refused", ctx.method() + " " + ctx.path());
        }
        return new Refused(HttpStatus.UNAUTHORIZED, "this needs your team's token (from the organisers: brainfm teams add)", 0, REALM);
    }

    private Records records() {
        return boards.records();
    }
}
