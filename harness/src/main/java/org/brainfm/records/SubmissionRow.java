package org.brainfm.records;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A stored submission as listed: who, which entry, which kind, where it stands and every reason it
 * was refused or failed; {@code kind} and {@code entryName} are null when the manifest could not be
 * read. A challenge's upload has its team's and phase's ids (null otherwise), how many times scoring
 * was started, and whether the organiser chose it as the team's final entry of its phase.
 */
public record SubmissionRow(long id, String team, String entryName, EntryKind kind, SubmissionStatus status,
        List<String> reasons, String sha256, String folder, String source, String manifest, String baselineCard,
        Long initRunId, OffsetDateTime received, OffsetDateTime updated, Long teamId, Long phaseId, int tries,
        boolean finalChoice) {}
