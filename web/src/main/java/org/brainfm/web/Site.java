package org.brainfm.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.util.Map;
import java.nio.file.Path;
import io.javalin.config.SizeUnit;
import org.brainfm.challenge.Uploads;
import org.brainfm.records.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaderboard site: server-rendered pages ({@link PageRoutes}), the JSON API under
 * {@code /api/} ({@link ApiRoutes}), CSV exports under {@code /export/} ({@link ExportRoutes}),
 * the organiser's actions under {@code /admin} ({@link AdminRoutes}), a challenge's phase boards
 * ({@link PhaseRoutes}) and what teams do with their tokens ({@link TeamRoutes}). It reads the
 * records through {@link Boards} (cached per state of the records) and writes only what an
 * organiser does with the organiser's token and the uploads teams send with theirs.
 *
 * <p>Site holds what every route shares: the app, static files, security headers, and the
 * answers to errors (the problem page). Each group registers its own routes; a new feature is a
 * new group registered here, writing through {@link Responses} and finding what a request
 * names through {@link Lookups}.
 */
public final class Site implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Site.class);
    private static final String SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Boards boards;
    private final Pages pages = new Pages();
    private final Javalin app;

    /**
     * @param adminToken the organiser's token, of {@link AdminToken#MIN_LENGTH} characters at least; null or
     *                   blank turns organiser actions off
     * @param resamples  bootstrap resamples for the overall rank intervals (0: none)
     */
    public Site(Records records, String adminToken, int resamples) {
        this(records, adminToken, resamples, null);
    }

    /**
     * A site that also takes teams' uploads into {@code uploads} (null: none), for the scoring
     * workers to check and score.
     */
    public Site(Records records, String adminToken, int resamples, Uploads uploads) {
        AdminToken token = new AdminToken(adminToken);
        this.boards = new Boards(records, resamples);
        PageRoutes pageRoutes = new PageRoutes(boards, pages);
        ApiRoutes apiRoutes = new ApiRoutes(boards);
        ExportRoutes exportRoutes = new ExportRoutes(boards);
        AdminRoutes adminRoutes = new AdminRoutes(boards, pages, token);
        PhaseRoutes phaseRoutes = new PhaseRoutes(boards, pages);
        TeamRoutes teamRoutes = new TeamRoutes(boards, pages, uploads);
        Path spool = uploads == null ? null : uploads.spool();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            if (spool != null) {
                // a multipart upload goes to disk as it arrives, never whole into memory, and stops at the limit
                config.jetty.multipartConfig.cacheDirectory(spool.toString());
                config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
                config.jetty.multipartConfig.maxFileSize(uploads.maxBytes(), SizeUnit.BYTES);
                config.jetty.multipartConfig.maxTotalRequestSize(uploads.maxBytes() + 64 * 1024, SizeUnit.BYTES);
            }
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
            pageRoutes.register(routes);
            apiRoutes.register(routes);
            exportRoutes.register(routes);
            adminRoutes.register(routes);
            phaseRoutes.register(routes);
            teamRoutes.register(routes);
            routes.exception(Refused.class, (e, ctx) -> Refused.answer(e, ctx, pages));
            routes.exception(BadRequest.class, (e, ctx) -> problem(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
            routes.exception(NotFound.class, (e, ctx) -> problem(ctx, HttpStatus.NOT_FOUND, e.getMessage()));
            routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "the site failed to answer this request; "
                        + "the server's log has the details");
            });
            routes.error(404, ctx -> {
                if (!Responses.problemWritten(ctx)) {
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

    private void problem(Context ctx, HttpStatus status, String message) {
        Responses.problem(ctx, pages, status, message);
    }
}
