package org.brainfm.records;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A stored submission as listed: who, which entry, which kind, where it stands and every reason it
 * was refused or failed; {@code kind} and {@code entryName} are null when the manifest could not be
 * read.
 */
public record SubmissionRow(long id, String team, String entryName, EntryKind kind, SubmissionStatus status,
        List<String> reasons, String sha256, String folder, String source, String manifest, String baselineCard,
        Long initRunId, OffsetDateTime received, OffsetDateTime updated) {}
