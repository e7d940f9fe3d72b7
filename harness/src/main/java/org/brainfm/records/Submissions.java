package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.Sql.requireUpdated;
import static org.brainfm.records.db.Tables.SUBMISSION;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.brainfm.records.db.tables.records.SubmissionRecord;

/**
 * Entries sent from outside (and our baselines, which go through the same door): each stored
 * once, by the SHA-256 of its content, with its status and every reason it was refused or failed.
 */
public final class Submissions {
    /** Longest reason kept; a longer one is cut (its start says what went wrong). */
    private static final int REASON_CHARS = 2_000;
    /** Most reasons kept; the rest are counted in a last line. */
    private static final int REASONS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sql sql;

    Submissions(Sql sql) {
        this.sql = sql;
    }

    /** Records a submission as {@code received} and returns its id. */
    public long add(NewSubmission s) {
        return sql.call(db -> db.insertInto(SUBMISSION)
                .set(SUBMISSION.TEAM, s.team())
                .set(SUBMISSION.ENTRY_NAME, s.entryName())
                .set(SUBMISSION.KIND, s.kind() == null ? null : s.kind().id())
                .set(SUBMISSION.SHA256, s.sha256())
                .set(SUBMISSION.FOLDER, s.folder())
                .set(SUBMISSION.SOURCE, s.source())
                .set(SUBMISSION.MANIFEST, s.manifest())
                .set(SUBMISSION.BASELINE_CARD, s.baselineCard())
                .set(SUBMISSION.INIT_RUN_ID, s.initRunId())
                .set(SUBMISSION.TEAM_ID, s.teamId())
                .set(SUBMISSION.PHASE_ID, s.phaseId())
                .set(SUBMISSION.RECEIVED_AT, now())
                .set(SUBMISSION.UPDATED_AT, now())
                .set(SUBMISSION.STATUS, SubmissionStatus.RECEIVED.id())
                .set(SUBMISSION.REASONS, "[]")
                .returning(SUBMISSION.ID)
                .fetchOne(SUBMISSION.ID));
    }

    /** Sets a submission's status and reasons (empty when there is nothing to say). */
    public void setStatus(long submissionId, SubmissionStatus status, List<String> reasons) {
        String text = json(bounded(reasons));
        requireUpdated(sql.call(db -> db.update(SUBMISSION)
                .set(SUBMISSION.STATUS, status.id())
                .set(SUBMISSION.REASONS, text)
                .set(SUBMISSION.UPDATED_AT, now())
                .set(SUBMISSION.LEASE_UNTIL, (OffsetDateTime) null)
                .where(SUBMISSION.ID.eq(submissionId))
                .execute()), "submission", submissionId);
    }

    /**
     * Marks a submission {@code scoring} if it stands in one of {@code from}, holding it for
     * {@code lease} on the database's clock ({@link #renew}); false when another worker took it
     * first or it is not in such a state (one statement: two workers cannot both win).
     */
    public boolean claim(long submissionId, List<SubmissionStatus> from, Duration lease) {
        OffsetDateTime until = sql.databaseNow().plus(lease);
        return sql.call(db -> db.update(SUBMISSION)
                .set(SUBMISSION.STATUS, SubmissionStatus.SCORING.id())
                .set(SUBMISSION.REASONS, "[]")
                .set(SUBMISSION.UPDATED_AT, now())
                .set(SUBMISSION.LEASE_UNTIL, until)
                .set(SUBMISSION.TRIES, SUBMISSION.TRIES.plus(1))
                .where(SUBMISSION.ID.eq(submissionId), SUBMISSION.STATUS.in(from.stream().map(SubmissionStatus::id).toList()))
                .execute()) == 1;
    }

    /** Claims the oldest valid submission for {@code lease}; empty when none is waiting. */
    public Optional<Long> claimNext(Duration lease) {
        while (true) {
            Optional<Long> next = sql.call(db -> db.select(SUBMISSION.ID).from(SUBMISSION)
                    .where(SUBMISSION.STATUS.eq(SubmissionStatus.VALID.id())).orderBy(SUBMISSION.ID).limit(1).fetchOptional(SUBMISSION.ID));
            if (next.isEmpty() || claim(next.get(), List.of(SubmissionStatus.VALID), lease)) {
                return next;
            }
        }
    }

    /**
     * Takes a {@code received} upload for checking, for {@code lease}: false when another worker
     * holds it (its lease not run out) or it is checked already. Checking clears the lease.
     */
    public boolean claimCheck(long submissionId, Duration lease) {
        OffsetDateTime now = sql.databaseNow();
        return sql.call(db -> db.update(SUBMISSION).set(SUBMISSION.LEASE_UNTIL, now.plus(lease))
                .where(SUBMISSION.ID.eq(submissionId), SUBMISSION.STATUS.eq(SubmissionStatus.RECEIVED.id()),
                        SUBMISSION.LEASE_UNTIL.isNull().or(SUBMISSION.LEASE_UNTIL.lt(now)))
                .execute()) == 1;
    }

    /** Uploads waiting to be checked, oldest first. */
    public List<Long> receivedIds() {
        return sql.call(db -> db.select(SUBMISSION.ID).from(SUBMISSION).where(SUBMISSION.STATUS.eq(SubmissionStatus.RECEIVED.id()))
                .orderBy(SUBMISSION.ID).fetch(SUBMISSION.ID));
    }

    /** What checking an upload read from its manifest: the entry's name and kind (null if unread), and the manifest as JSON. */
    public void describe(long submissionId, String entryName, EntryKind kind, String manifest) {
        requireUpdated(sql.call(db -> db.update(SUBMISSION)
                .set(SUBMISSION.ENTRY_NAME, entryName == null ? null : Check.name("entry name", entryName, 200))
                .set(SUBMISSION.KIND, kind == null ? null : kind.id())
                .set(SUBMISSION.MANIFEST, manifest)
                .where(SUBMISSION.ID.eq(submissionId)).execute()), "submission", submissionId);
    }

    /** Extends the lease of a submission this worker is scoring; false when it is no longer {@code scoring}. */
    public boolean renew(long submissionId, Duration lease) {
        OffsetDateTime until = sql.databaseNow().plus(lease);
        return sql.call(db -> db.update(SUBMISSION).set(SUBMISSION.LEASE_UNTIL, until)
                .where(SUBMISSION.ID.eq(submissionId), SUBMISSION.STATUS.eq(SubmissionStatus.SCORING.id())).execute()) == 1;
    }

    /**
     * Gives back every submission whose scoring lease ran out (its worker died or was killed): to
     * {@code valid}, to be scored again, or {@code failed} with the reason once it was tried
     * {@code maxTries} times. Returns the ids given back.
     */
    public List<Long> releaseExpired(int maxTries) {
        OffsetDateTime now = sql.databaseNow();
        List<SubmissionRow> expired = sql.call(db -> db.selectFrom(SUBMISSION)
                .where(SUBMISSION.STATUS.eq(SubmissionStatus.SCORING.id()),
                        SUBMISSION.LEASE_UNTIL.isNull().or(SUBMISSION.LEASE_UNTIL.lt(now)))
                .orderBy(SUBMISSION.ID).fetch(Submissions::row));
        List<Long> released = new java.util.ArrayList<>();
        for (SubmissionRow r : expired) {
            boolean spent = r.tries() >= maxTries;
            String reasons = json(spent ? List.of("scoring stopped " + r.tries() + " times without finishing (its worker "
                    + "died or was killed, or it ran out of memory); the organiser may score it again") : List.of());
            int n = sql.call(db -> db.update(SUBMISSION)
                    .set(SUBMISSION.STATUS, (spent ? SubmissionStatus.FAILED : SubmissionStatus.VALID).id())
                    .set(SUBMISSION.REASONS, reasons)
                    .set(SUBMISSION.LEASE_UNTIL, (OffsetDateTime) null)
                    .set(SUBMISSION.UPDATED_AT, now())
                    .where(SUBMISSION.ID.eq(r.id()), SUBMISSION.STATUS.eq(SubmissionStatus.SCORING.id()),
                            SUBMISSION.LEASE_UNTIL.isNull().or(SUBMISSION.LEASE_UNTIL.lt(now)))
                    .execute());
            if (n == 1) {
                released.add(r.id());
            }
        }
        return released;
    }

    /** A team's submissions to a phase received at or after {@code since}, oldest first (what its limit counts). */
    public List<SubmissionRow> ofTeamInPhase(long teamId, long phaseId, OffsetDateTime since) {
        return sql.call(db -> db.selectFrom(SUBMISSION)
                .where(SUBMISSION.TEAM_ID.eq(teamId), SUBMISSION.PHASE_ID.eq(phaseId), SUBMISSION.RECEIVED_AT.ge(since))
                .orderBy(SUBMISSION.ID).fetch(Submissions::row));
    }

    /** Every submission a team uploaded, newest first. */
    public List<SubmissionRow> ofTeam(long teamId) {
        return sql.call(db -> db.selectFrom(SUBMISSION).where(SUBMISSION.TEAM_ID.eq(teamId)).orderBy(SUBMISSION.ID.desc())
                .fetch(Submissions::row));
    }

    /** Makes a submission its team's final entry of its phase (and no other of theirs there). */
    public void chooseFinal(long submissionId) {
        SubmissionRow row = get(submissionId).orElseThrow(() -> new IllegalArgumentException("no submission " + submissionId + " in the records"));
        if (row.teamId() == null || row.phaseId() == null) {
            throw new IllegalArgumentException("submission " + submissionId + " was not uploaded to a phase");
        }
        sql.transaction(db -> {
            db.update(SUBMISSION).set(SUBMISSION.FINAL_CHOICE, false)
                    .where(SUBMISSION.TEAM_ID.eq(row.teamId()), SUBMISSION.PHASE_ID.eq(row.phaseId())).execute();
            db.update(SUBMISSION).set(SUBMISSION.FINAL_CHOICE, true).set(SUBMISSION.UPDATED_AT, now())
                    .where(SUBMISSION.ID.eq(submissionId)).execute();
        });
    }

    public Optional<SubmissionRow> get(long submissionId) {
        return sql.call(db -> db.selectFrom(SUBMISSION).where(SUBMISSION.ID.eq(submissionId)).fetchOptional())
                .map(Submissions::row);
    }

    /** The submission whose content has this SHA-256, if any. */
    public Optional<SubmissionRow> bySha256(String sha256) {
        return sql.call(db -> db.selectFrom(SUBMISSION).where(SUBMISSION.SHA256.eq(sha256)).fetchOptional())
                .map(Submissions::row);
    }

    /** Every submission, oldest first. */
    public List<SubmissionRow> all() {
        return sql.call(db -> db.selectFrom(SUBMISSION).orderBy(SUBMISSION.ID).fetch(Submissions::row));
    }

    /** Submissions in a status, oldest first. */
    public List<SubmissionRow> withStatus(SubmissionStatus status) {
        return sql.call(db -> db.selectFrom(SUBMISSION).where(SUBMISSION.STATUS.eq(status.id())).orderBy(SUBMISSION.ID)
                .fetch(Submissions::row));
    }

    private static List<String> bounded(List<String> reasons) {
        List<String> cut = reasons.stream().limit(REASONS)
                .map(r -> r.length() <= REASON_CHARS ? r : r.substring(0, REASON_CHARS - 3) + "...").toList();
        if (reasons.size() <= REASONS) {
            return cut;
        }
        return java.util.stream.Stream.concat(cut.stream(), java.util.stream.Stream.of(
                "... and " + (reasons.size() - REASONS) + " more problems")).toList();
    }

    private static String json(List<String> reasons) {
        try {
            return JSON.writeValueAsString(reasons);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SubmissionRow row(SubmissionRecord r) {
        List<String> reasons;
        try {
            reasons = r.getReasons() == null ? List.of() : JSON.readValue(r.getReasons(), new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("submission " + r.getId() + ": stored reasons are not JSON", e);
        }
        return new SubmissionRow(r.getId(), r.getTeam(), r.getEntryName(),
                r.getKind() == null ? null : DbEnum.parse(EntryKind.class, r.getKind()),
                DbEnum.parse(SubmissionStatus.class, r.getStatus()), reasons, r.getSha256(), r.getFolder(), r.getSource(),
                r.getManifest(), r.getBaselineCard(), r.getInitRunId(), r.getReceivedAt(), r.getUpdatedAt(), r.getTeamId(),
                r.getPhaseId(), r.getTries(), r.getFinalChoice());
    }
}
