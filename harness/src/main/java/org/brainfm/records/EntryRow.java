package org.brainfm.records;

import java.time.OffsetDateTime;

/**
 * A stored entry as listed: who, what family, where it came from (a submission or one of our
 * cards), whether it is a baseline, whether an organiser hid it, and where it stands.
 */
public record EntryRow(long id, String team, String name, Family family, Long submissionId, String cardId,
        boolean baseline, boolean hidden, EntryStatus status, String error, OffsetDateTime created) {}
