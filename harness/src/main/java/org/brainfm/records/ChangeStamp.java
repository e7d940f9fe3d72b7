package org.brainfm.records;

import java.time.OffsetDateTime;

/**
 * A cheap fingerprint of what the board is made of, for readers that cache it: it changes when
 * a run starts or ends, an entry is added, a submission changes (its status: the board shows a
 * submission's runs once it is scored; a final choice), or the set of hidden entries or of hidden
 * runs changes (their count or the sum of their ids). Equal stamps mean the board is the same, except for an
 * exchange of hidden entries (or runs) that keeps both their count and the sum of their ids.
 */
public record ChangeStamp(long lastRun, long endedRuns, OffsetDateTime lastEnded, long lastEntry,
        long hiddenEntries, long hiddenIdSum, long hiddenRuns, long hiddenRunIdSum, OffsetDateTime lastSubmissionChange) {}
