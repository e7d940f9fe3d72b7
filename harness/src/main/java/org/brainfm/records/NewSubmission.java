package org.brainfm.records;

/**
 * A submission to record: who sent which entry of which kind, where its files are stored (a folder
 * named by their SHA-256), what was given ({@code source}: a path or an upload's name) and its
 * manifest as JSON text ({@code entryName} and {@code kind} are null when the manifest could not be
 * read). For our own baselines, {@code baselineCard} names the card and
 * {@code initRunId} the finetuning run the models come from (null for entries from outside). An upload
 * to a challenge names the team whose token sent it and the phase it entered ({@link #inPhase}).
 */
public record NewSubmission(String team, String entryName, EntryKind kind, String sha256, String folder, String source,
        String manifest, String baselineCard, Long initRunId, Long teamId, Long phaseId) {
    public NewSubmission(String team, String entryName, EntryKind kind, String sha256, String folder, String source,
            String manifest, String baselineCard, Long initRunId) {
        this(team, entryName, kind, sha256, folder, source, manifest, baselineCard, initRunId, null, null);
    }

    public NewSubmission {
        Check.name("team", team, 200);
        if (entryName != null) {
            Check.name("entry name", entryName, 200);
        }
        Check.name("SHA-256", sha256, 64);
        Check.name("submission folder", folder, 2000);
        Check.name("submission source", source, 2000);
        Check.notNull("manifest", manifest);
    }

    /** The same submission, sent by team {@code teamId} to phase {@code phaseId}. */
    public NewSubmission inPhase(long teamId, long phaseId) {
        return new NewSubmission(team, entryName, kind, sha256, folder, source, manifest, baselineCard, initRunId, teamId, phaseId);
    }
}
