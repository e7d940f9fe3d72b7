package org.brainfm.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Refused organiser credentials, counted per client address, so that guessing the token takes
 * ages: after {@link #LIMIT} refusals within a minute an address is turned away (429) until the
 * oldest of them is a minute old, its credentials not even looked at. Also says when a refusal
 * is to be logged: an address's first in a minute, so that a flood of guesses floods no log.
 */
final class Attempts {
    static final int LIMIT = 10;
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    /** Addresses remembered at most; beyond, those with no refusal in the last minute are forgotten. */
    private static final int ADDRESSES = 10_000;

    /** One address's refusals of the last minute (at most {@link #LIMIT}), and when one was last logged. */
    private static final class Address {
        final ArrayDeque<Long> refusals = new ArrayDeque<>();
        Long loggedAt;
    }

    private final Map<String, Address> addresses = new ConcurrentHashMap<>();
    /** Nanoseconds, as {@link System#nanoTime()}; tests give their own. */
    private final LongSupplier clock;

    Attempts() {
        this(System::nanoTime);
    }

    Attempts(LongSupplier clock) {
        this.clock = clock;
    }

    /** Whole seconds until {@code address} may try again; 0 when it may now. */
    /** Turns a client away (429, with how long to wait) while its address has too many refusals, its credentials unread. */
    void admit(Context ctx) {
        long wait = secondsToWait(ctx.ip());
        if (wait > 0) {
            throw new Refused(HttpStatus.TOO_MANY_REQUESTS, "too many refused attempts from this address; try again in "
                    + wait + " s", wait, null);
        }
    }

    long secondsToWait(String address) {
        Address a = addresses.get(address);
        if (a == null) {
            return 0;
        }
        synchronized (a) {
            long now = clock.getAsLong();
            forgetOld(a, now);
            if (a.refusals.size() < LIMIT) {
                return 0;
            }
            long second = TimeUnit.SECONDS.toNanos(1);
            return (a.refusals.getFirst() + MINUTE - now + second - 1) / second;
        }
    }

    /** Counts a refusal of {@code address}; true when it is to be logged (the address's first in a minute). */
    boolean refused(String address) {
        long now = clock.getAsLong();
        if (addresses.size() > ADDRESSES) {
            addresses.values().removeIf(a -> idle(a, now));
        }
        Address a = addresses.computeIfAbsent(address, k -> new Address());
        synchronized (a) {
            forgetOld(a, now);
            a.refusals.addLast(now);
            if (a.refusals.size() > LIMIT) {
                a.refusals.removeFirst();
            }
            boolean log = a.loggedAt == null || now - a.loggedAt >= MINUTE;
            if (log) {
                a.loggedAt = now;
            }
            return log;
        }
    }

    private static void forgetOld(Address a, long now) {
        while (!a.refusals.isEmpty() && now - a.refusals.getFirst() >= MINUTE) {
            a.refusals.removeFirst();
        }
    }

    private static boolean idle(Address a, long now) {
        synchronized (a) {
            forgetOld(a, now);
            return a.refusals.isEmpty() && (a.loggedAt == null || now - a.loggedAt >= MINUTE);
        }
    }
}
