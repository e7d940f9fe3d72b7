package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.Sql.requireUpdated;
import static org.brainfm.records.db.Tables.SUBMISSION;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
                .where(SUBMISSION.ID.eq(submissionId))
                .execute()), "submission", submissionId);
    }

    /**
     * Marks a submission {@code scoring} if it stands in one of {@code from}; false when another
     * worker took it first or it is not in such a state (one statement: two workers cannot both win).
     */
    public boolean claim(long submissionId, List<SubmissionStatus> from) {
        return sql.call(db -> db.update(SUBMISSION)
                .set(SUBMISSION.STATUS, SubmissionStatus.SCORING.id())
                .set(SUBMISSION.REASONS, "[]")
                .set(SUBMISSION.UPDATED_AT, now())
                .where(SUBMISSION.ID.eq(submissionId), SUBMISSION.STATUS.in(from.stream().map(SubmissionStatus::id).toList()))
                .execute()) == 1;
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
                r.getManifest(), r.getBaselineCard(), r.getInitRunId(), r.getReceivedAt(), r.getUpdatedAt());
    }
}
