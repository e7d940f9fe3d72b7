package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The time limits of organiser access, on a clock the test moves: sessions end, refusals are forgotten. */
class OrganiserLimitsTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void aSessionEndsAnHourAfterSigningIn() {
        Sessions sessions = new Sessions("brainfm_admin", "/admin", now::get);
        String id = sessions.open(7);
        Sessions.Session session = sessions.find(id);
        assertThat(session).isNotNull();
        assertThat(session.subject()).isEqualTo(7);
        assertThat(session.csrf()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(id);
        assertThat(session.csrfMatches(session.csrf())).isTrue();
        assertThat(session.csrfMatches(session.csrf() + "x")).isFalse();
        assertThat(session.csrfMatches(null)).isFalse();
        assertThat(sessions.find("unknown")).isNull();
        assertThat(sessions.find((String) null)).isNull();
        advanceSeconds(Sessions.LIFETIME.toSeconds() - 1);
        assertThat(sessions.find(id)).isSameAs(session);
        advanceSeconds(1);
        assertThat(sessions.find(id)).isNull();
        assertThat(sessions.open(7)).isNotEqualTo(id);
    }

    @Test
    void anAddressIsTurnedAwayAfterTenRefusalsInAMinuteUntilTheOldestIsAMinuteOld() {
        Attempts attempts = new Attempts(now::get);
        assertThat(attempts.refused("10.0.0.1")).as("the first refusal is logged").isTrue();
        for (int i = 1; i < Attempts.LIMIT; i++) {
            assertThat(attempts.secondsToWait("10.0.0.1")).isZero();
            advanceSeconds(1);
            assertThat(attempts.refused("10.0.0.1")).as("later ones within the minute are not").isFalse();
        }
        assertThat(attempts.secondsToWait("10.0.0.1")).isEqualTo(60 - (Attempts.LIMIT - 1));
        assertThat(attempts.secondsToWait("10.0.0.2")).as("another address").isZero();
        advanceSeconds(60 - (Attempts.LIMIT - 1));
        // the oldest refusal is a minute old: one more try, which is logged again
        assertThat(attempts.secondsToWait("10.0.0.1")).isZero();
        assertThat(attempts.refused("10.0.0.1")).isTrue();
        assertThat(attempts.secondsToWait("10.0.0.1")).isEqualTo(1);
    }
}
