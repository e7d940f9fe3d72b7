package org.brainfm.records;

import java.time.Duration;
import java.util.Map;
import org.brainfm.BrainfmException;

/**
 * How long a running run's heartbeat vouches for it. The process of a run refreshes the
 * heartbeat at every write and every tenth of the lease; a run of any host whose heartbeat is
 * older than the lease (by the database's clock) is taken as abandoned and marked interrupted.
 * Five minutes unless {@code BRAINFM_RUN_LEASE} (seconds) says otherwise: it must outlast the
 * longest pause a live process may make (a garbage collection, a stalled file system, the
 * database out of reach), or live runs are marked interrupted.
 */
record Lease(Duration length) {
    static final Duration DEFAULT = Duration.ofMinutes(5);

    Lease {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a lease must be positive: " + length);
        }
    }

    /** How often a running run's heartbeat is refreshed when it writes nothing. */
    Duration heartbeat() {
        return length.dividedBy(10);
    }

    static Lease fromEnvironment(Map<String, String> environment) {
        String text = environment.get("BRAINFM_RUN_LEASE");
        if (text == null || text.isBlank()) {
            return new Lease(DEFAULT);
        }
        try {
            double seconds = Double.parseDouble(text.strip());
            if (seconds > 0 && seconds < 1e9) {
                return new Lease(Duration.ofMillis(Math.round(seconds * 1000)));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BrainfmException("BRAINFM_RUN_LEASE", "'" + text + "' is not a number of seconds above 0"
                + " (default " + DEFAULT.toSeconds() + ")");
    }
}
