package org.brainfm.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * How every route group writes its answer: HTML, JSON, CSV downloads, and the problem page
 * (an error as HTML, or as JSON for the API and for clients that sent a token header). One
 * place, so that all groups answer with the same content types and the same error shape.
 */
final class Responses {
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String CSV = "text/csv; charset=utf-8";
    /** Request attribute: the error page is written (Javalin's error handlers would write another). */
    private static final String PROBLEM = "brainfm.problem";

    private Responses() {}

    static void html(Context ctx, byte[] body) {
        ctx.contentType(HTML).result(body);
    }

    /** A page rendered for this request alone (not kept), as the template engine gives it. */
    static void htmlText(Context ctx, String body) {
        ctx.contentType(HTML).result(body);
    }

    static void json(Context ctx, byte[] body) {
        ctx.contentType(JSON).result(body);
    }

    static void download(Context ctx, String name, byte[] body) {
        attachment(ctx, name);
        ctx.result(body);
    }

    /** Marks the answer as the CSV file {@code name}, for a body written (or streamed) next. */
    static void attachment(Context ctx, String name) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + name.replace("\"", "") + "\"");
        ctx.contentType(CSV);
    }

    static void problem(Context ctx, Pages pages, HttpStatus status, String message) {
        ctx.attribute(PROBLEM, message);
        ctx.status(status);
        if (ctx.path().startsWith("/api/") || ctx.header("Authorization") != null) {
            json(ctx, ApiJson.bytes(ApiJson.object().put("status", status.getCode()).put("error", message)));
        } else {
            htmlText(ctx, pages.render("problem", "", vars("status", status.getCode(),
                    "reason", status.getMessage(), "message", message)));
        }
    }

    /** Whether {@link #problem} already wrote this answer. */
    static boolean problemWritten(Context ctx) {
        return ctx.attribute(PROBLEM) != null;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Template variables from alternating names and values. */
    static Map<String, Object> vars(Object... keysAndValues) {
        Map<String, Object> vars = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            vars.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return vars;
    }
}
