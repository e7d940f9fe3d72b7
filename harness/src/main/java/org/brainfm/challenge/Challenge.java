package org.brainfm.challenge;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.records.TeamRow;

/**
 * Whether a phase takes an upload from a team now (docs/challenge.md): it must be open, the team
 * must have an entry scored in the phase it requires, and within its limit - at most N uploads in
 * any period of the phase's length, counting every upload but those refused as invalid (a broken
 * archive can be fixed and sent again at once; an entry that failed while scoring used its slot).
 */
public final class Challenge {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    private static final OffsetDateTime EPOCH = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private Challenge() {}

    /** Why a phase refuses an upload; {@code nextSlot}: when the team's limit lets it send again (null: not a limit). */
    public record Refusal(String reason, OffsetDateTime nextSlot) {
        Refusal(String reason) {
            this(reason, null);
        }
    }

    /** Why the phase refuses the team's upload at {@code now}; empty when it takes it. */
    public static Optional<Refusal> refusal(Records records, TeamRow team, PhaseRow phase, OffsetDateTime now) {
        if (!phase.isOpen(now)) {
            if (phase.opensAt() == null) {
                return Optional.of(new Refusal("phase " + phase.name() + " is not open yet"));
            }
            return Optional.of(new Refusal(now.isBefore(phase.opensAt()) ? "phase " + phase.name() + " opens at "
                    + shown(phase.opensAt()) : "phase " + phase.name() + " closed at " + shown(phase.closesAt())));
        }
        if (phase.requiresPhaseId() != null) {
            PhaseRow required = records.phases().get(phase.requiresPhaseId()).orElseThrow();
            boolean passed = records.submissions().ofTeamInPhase(team.id(), required.id(), EPOCH)
                    .stream().anyMatch(s -> s.status() == SubmissionStatus.SCORED);
            if (!passed) {
                return Optional.of(new Refusal("phase " + phase.name() + " takes entries of teams that passed phase "
                        + required.name() + ": send your entry there first, and come back once it is scored"));
            }
        }
        Duration period = Duration.ofHours(phase.periodHours());
        List<SubmissionRow> counted = records.submissions().ofTeamInPhase(team.id(), phase.id(), now.minus(period)).stream()
                .filter(s -> s.status() != SubmissionStatus.INVALID).toList();
        if (counted.size() >= phase.maxEntries()) {
            OffsetDateTime next = counted.get(counted.size() - phase.maxEntries()).received().plus(period);
            return Optional.of(new Refusal("your team has sent the " + (phase.maxEntries() == 1 ? "1 entry" : phase.maxEntries() + " entries")
                    + " phase " + phase.name()
                    + " takes in " + phase.periodHours() + " h; the next slot opens at " + shown(next), next));
        }
        return Optional.empty();
    }

    private static String shown(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).format(SHOWN);
    }
}
