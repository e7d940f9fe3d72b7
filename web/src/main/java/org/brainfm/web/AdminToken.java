package org.brainfm.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The organiser's token ({@code BRAINFM_ADMIN_TOKEN}): an organiser action needs it as
 * {@code Authorization: Bearer <token>} or as the form field {@code token}. With no token
 * configured every organiser action is refused. Compared in constant time.
 */
final class AdminToken {
    private final byte[] token;

    AdminToken(String token) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    boolean configured() {
        return token != null;
    }

    /** How the request proved itself: by its bearer header, by its form field, or not at all. */
    enum Proof { BEARER, FORM, NONE }

    Proof check(String authorization, String formToken) {
        if (token == null) {
            return Proof.NONE;
        }
        if (authorization != null && authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")
                && matches(authorization.substring("bearer ".length()).trim())) {
            return Proof.BEARER;
        }
        return formToken != null && matches(formToken) ? Proof.FORM : Proof.NONE;
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }
}
