package org.brainfm.web;

import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.brainfm.records.EntryRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request names, read from it and found in a {@link Snapshot}: a task's board, an
 * entry, the rank intervals, a form field. Anything not there (or hidden) is a {@link NotFound}, so that a
 * page, its JSON and its CSV answer the same 404 for it.
 */
final class Lookups {
    private static final Logger LOG = LoggerFactory.getLogger(Lookups.class);
    /** How long a request waits for the rank intervals before it says they are being computed. */
    static final long INTERVAL_WAIT_MILLIS = 3_000;

    private Lookups() {}

    /** The overall rank intervals, or null while they are still being computed. */
    static Map<Long, RankInterval> intervals(Snapshot s) {
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

    /** The {@code show} query parameter of a task board (400 if it is none of the options). */
    static TaskBoard.Show show(Context ctx) {
        return TaskBoard.Show.parse(ctx.queryParam("show"));
    }

    static TaskBoard taskBoard(Snapshot s, String taskId, TaskBoard.Show show) {
        return s.board(taskId, show).orElseThrow(() -> noTask(taskId));
    }

    static NotFound noTask(String taskId) {
        return new NotFound("no task '" + taskId + "'");
    }

    /** The entry of an {@code {id}} path segment, unless it is hidden. */
    static EntryRow shownEntry(Snapshot s, String idText) {
        long id = id("entry", idText);
        EntryRow entry = s.entries.get(id);
        if (entry == null || entry.hidden()) {
            throw new NotFound("no entry " + idText);
        }
        return entry;
    }

    /**
     * A field of the request's form. A body that cannot be read as a form (an unknown charset,
     * broken multipart, bad chunked encoding: only a hand-made request sends one) is the
     * client's error: a 400, and one line in the log, not a stack trace.
     */
    static String formParam(Context ctx, String name) {
        try {
            return ctx.formParam(name);
        } catch (Exception e) {
            // Kotlin code may throw checked exceptions (Jetty's EOF) undeclared: hence Exception
            String reason = (e.getClass().getSimpleName() + ": " + e.getMessage()).replaceAll("\\p{Cntrl}", " ");
            reason = reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
            LOG.warn("{} {} from {}: the body cannot be read as a form ({})", ctx.method(), ctx.path(), ctx.ip(), reason);
            throw new BadRequest("the request's body", "cannot be read as a form (" + reason + ")");
        }
    }

    /** A numeric id from a path segment; anything else names no {@code what}. */
    static long id(String what, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NotFound("no " + what + " " + text);
        }
    }
}
