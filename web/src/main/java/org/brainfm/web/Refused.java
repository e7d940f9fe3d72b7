package org.brainfm.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * A request turned away for who sent it or when (credentials, a CSRF token, too many tries, a
 * closed phase, a spent limit, a body too large): its status, the seconds to wait before trying
 * again (0: none said) and, for a 401, the realm of the credentials it needs.
 */
final class Refused extends RuntimeException {
    final HttpStatus status;
    final long retryAfter;
    final String realm;

    Refused(HttpStatus status, String message, long retryAfter, String realm) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
        this.realm = realm;
    }

    /** Answers a refusal: its headers, then the problem page (or JSON, for the API and scripts). */
    static void answer(Refused e, Context ctx, Pages pages) {
        if (e.realm != null) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"" + e.realm + "\"");
        }
        if (e.retryAfter > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfter));
        }
        Responses.problem(ctx, pages, e.status, e.getMessage());
    }
}
