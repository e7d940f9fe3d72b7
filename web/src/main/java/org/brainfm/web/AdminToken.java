package org.brainfm.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.brainfm.BrainfmException;

/**
 * The organiser's token ({@code BRAINFM_ADMIN_TOKEN}): shown as {@code Authorization: Bearer
 * <token>} by a script, or once in the sign-in form of {@code /admin}. None (or blank) turns
 * organiser actions off; a short one is refused, since it could be guessed. Compared in constant
 * time: both sides are hashed first, so that not even the length of a guess tells anything.
 */
final class AdminToken {
    static final String VARIABLE = "BRAINFM_ADMIN_TOKEN";
    static final int MIN_LENGTH = 24;
    private static final String BEARER = "Bearer ";

    private final byte[] digest;

    AdminToken(String token) {
        this.digest = validated(token) == null ? null : sha256(token);
    }

    /** The token, or null for none; a short one is an error that says how to make a good one. */
    static String validated(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        if (token.length() < MIN_LENGTH) {
            throw new BrainfmException(VARIABLE, "is " + token.length() + " characters long; an organiser's token needs"
                    + " at least " + MIN_LENGTH + " (make one with: openssl rand -hex 24)");
        }
        return token;
    }

    boolean configured() {
        return digest != null;
    }

    /** Whether an {@code Authorization} header holds the token as a bearer. */
    boolean bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && matches(authorization.substring(BEARER.length()).trim());
    }

    boolean matches(String given) {
        return digest != null && given != null && MessageDigest.isEqual(digest, sha256(given));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
