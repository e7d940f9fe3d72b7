package org.brainfm.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Organisers signed in through the page: a random session id in a cookie (HttpOnly,
 * SameSite=Strict, for {@code /admin} only, Secure over https), and here, its CSRF token, which
 * the page's forms carry instead of the organiser's token. A session ends {@link #LIFETIME}
 * after signing in; the server keeps nothing of it after that.
 */
final class AdminSessions {
    static final String COOKIE = "brainfm_admin";
    static final Duration LIFETIME = Duration.ofHours(1);

    /** A session: the CSRF token its forms carry, and when it ends (on the clock's scale). */
    record Session(String csrf, long endsAt) {
        boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    given.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** Nanoseconds, as {@link System#nanoTime()}; tests give their own. */
    private final LongSupplier clock;

    AdminSessions() {
        this(System::nanoTime);
    }

    AdminSessions(LongSupplier clock) {
        this.clock = clock;
    }

    /** Opens a session; its id goes in the cookie ({@link #cookie}). */
    String open() {
        long now = clock.getAsLong();
        sessions.values().removeIf(s -> s.endsAt() - now <= 0);
        String id = randomToken();
        sessions.put(id, new Session(randomToken(), now + LIFETIME.toNanos()));
        return id;
    }

    /** The session of an id, or null when there is none (unknown, or ended). */
    Session find(String id) {
        Session s = id == null ? null : sessions.get(id);
        return s == null || s.endsAt() - clock.getAsLong() <= 0 ? null : s;
    }

    /** The session a request came in, or null. */
    Session find(Context ctx) {
        return find(ctx.cookie(COOKIE));
    }

    /** The cookie that carries a session's id, Secure when the request came over https (directly or through a proxy). */
    static Cookie cookie(Context ctx, String id) {
        boolean https = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return new Cookie(COOKIE, id, "/admin", (int) LIFETIME.toSeconds(), https, true, null, SameSite.STRICT);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
