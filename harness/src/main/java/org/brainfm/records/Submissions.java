package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.Sql.requireUpdated;
import static org.brainfm.records.db.Tables.SUBMISSION;

/** Uploads of teams: one submission carries one entry or more, and stands where its checks left it. */
public final class Submissions {
    private final Sql sql;

    Submissions(Sql sql) {
        this.sql = sql;
    }

    /** Records a submission as {@code received} and returns its id. */
    public long add(String team, String source) {
        return sql.call(db -> db.insertInto(SUBMISSION)
                .set(SUBMISSION.TEAM, Check.name("team", team, 200))
                .set(SUBMISSION.SOURCE, Check.name("submission source", source, 2000))
                .set(SUBMISSION.RECEIVED_AT, now())
                .set(SUBMISSION.STATUS, EntryStatus.RECEIVED.id())
                .returning(SUBMISSION.ID)
                .fetchOne(SUBMISSION.ID));
    }

    public void setStatus(long submissionId, EntryStatus status, String error) {
        requireUpdated(sql.call(db -> db.update(SUBMISSION)
                .set(SUBMISSION.STATUS, status.id())
                .set(SUBMISSION.ERROR, error)
                .where(SUBMISSION.ID.eq(submissionId))
                .execute()), "submission", submissionId);
    }
}
