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
 * People signed in through a page with a token - organisers at {@code /admin}, teams at
 * {@code /team}: a random session id in a cookie (HttpOnly, SameSite=Strict, for the site's
 * part it serves, Secure over https), and here, its CSRF token, which the pages' forms carry
 * instead of the token, and whose it is (a team's id; 0 for the organiser). A session ends
 * {@link #LIFETIME} after signing in; the server keeps nothing of it after that.
 */
final class Sessions {
    static final Duration LIFETIME = Duration.ofHours(1);

    /** A session: the CSRF token its forms carry, when it ends (on the clock's scale), and whose it is. */
    record Session(String csrf, long endsAt, long subject) {
        boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                    given.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** Nanoseconds, as {@link System#nanoTime()}; tests give their own. */
    private final LongSupplier clock;

    private final String cookieName;
    private final String path;

    /** Sessions whose cookie is {@code cookieName}, sent for {@code path} and below. */
    Sessions(String cookieName, String path) {
        this(cookieName, path, System::nanoTime);
    }

    Sessions(String cookieName, String path, LongSupplier clock) {
        this.cookieName = cookieName;
        this.path = path;
        this.clock = clock;
    }

    /** Opens a session of {@code subject}; its id goes in the cookie ({@link #cookie}). */
    String open(long subject) {
        long now = clock.getAsLong();
        sessions.values().removeIf(s -> s.endsAt() - now <= 0);
        String id = randomToken();
        sessions.put(id, new Session(randomToken(), now + LIFETIME.toNanos(), subject));
        return id;
    }

    /** The session of an id, or null when there is none (unknown, or ended). */
    Session find(String id) {
        Session s = id == null ? null : sessions.get(id);
        return s == null || s.endsAt() - clock.getAsLong() <= 0 ? null : s;
    }

    /** The session a request came in, or null. */
    Session find(Context ctx) {
        return find(ctx.cookie(cookieName));
    }

    /** The cookie that carries a session's id, Secure when the request came over https (directly or through a proxy). */
    Cookie cookie(Context ctx, String id) {
        boolean https = "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return new Cookie(cookieName, id, path, (int) LIFETIME.toSeconds(), https, true, null, SameSite.STRICT);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
