package org.brainfm.records;

import java.time.OffsetDateTime;
import java.util.List;

/** A stored phase (see {@link NewPhase}). */
public record PhaseRow(long id, String name, String track, List<String> tasks, EvaluationSplit split, OffsetDateTime opensAt,
        OffsetDateTime closesAt, int maxEntries, int periodHours, boolean publicCases, BoardRule rule, Long requiresPhaseId,
        OffsetDateTime created) {
    /** Whether submissions are taken at {@code now}: opened, and not closed yet. */
    public boolean isOpen(OffsetDateTime now) {
        return opensAt != null && !now.isBefore(opensAt) && (closesAt == null || now.isBefore(closesAt));
    }

    /** Where it stands at {@code now}: "open", "closed", "opens at ..." or "not opened". */
    public String state(OffsetDateTime now) {
        if (isOpen(now)) {
            return "open";
        }
        if (opensAt == null) {
            return "not opened";
        }
        return now.isBefore(opensAt) ? "opens at " + opensAt : "closed";
    }
}
