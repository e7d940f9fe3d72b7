package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.Sql.requireUpdated;
import static org.brainfm.records.db.Tables.ENTRY;

import java.util.List;
import java.util.Optional;
import org.brainfm.records.db.tables.records.EntryRecord;

/** The rows of the board to be: submitted models and our baselines, with their status and visibility. */
public final class Entries {
    private final Sql sql;

    Entries(Sql sql) {
        this.sql = sql;
    }

    /** Adds an entry (status {@code received}, shown) and returns its id; team and name are unique together. */
    public long add(NewEntry entry) {
        return sql.call(db -> db.insertInto(ENTRY)
                .set(ENTRY.TEAM, entry.team())
                .set(ENTRY.NAME, entry.name())
                .set(ENTRY.FAMILY, entry.family().id())
                .set(ENTRY.SUBMISSION_ID, entry.submissionId())
                .set(ENTRY.CARD_ID, entry.cardId())
                .set(ENTRY.BASELINE, entry.baseline())
                .set(ENTRY.HIDDEN, false)
                .set(ENTRY.STATUS, EntryStatus.RECEIVED.id())
                .set(ENTRY.CREATED_AT, now())
                .returning(ENTRY.ID)
                .fetchOne(ENTRY.ID));
    }

    /** Every entry, hidden ones included, by id. */
    public List<EntryRow> all() {
        return sql.call(db -> db.selectFrom(ENTRY).orderBy(ENTRY.ID).fetch(Entries::row));
    }

    public Optional<EntryRow> get(long entryId) {
        return sql.call(db -> db.selectFrom(ENTRY).where(ENTRY.ID.eq(entryId)).fetchOptional()).map(Entries::row);
    }

    /** The id of the entry {@code name} of {@code team}, if there is one. */
    public Optional<Long> idOf(String team, String name) {
        return sql.call(db -> db.select(ENTRY.ID).from(ENTRY).where(ENTRY.TEAM.eq(team), ENTRY.NAME.eq(name))
                .fetchOptional(ENTRY.ID));
    }

    public void setStatus(long entryId, EntryStatus status, String error) {
        requireUpdated(sql.call(db -> db.update(ENTRY)
                .set(ENTRY.STATUS, status.id())
                .set(ENTRY.ERROR, error)
                .where(ENTRY.ID.eq(entryId))
                .execute()), "entry", entryId);
    }

    /** Hides an entry from the board, or shows it again (an organiser's decision; its runs stay). */
    public void setHidden(long entryId, boolean hidden) {
        requireUpdated(sql.call(db -> db.update(ENTRY).set(ENTRY.HIDDEN, hidden).where(ENTRY.ID.eq(entryId)).execute()),
                "entry", entryId);
    }

    /** Points an entry at the submission it was last scored from (a team's newer version of the entry). */
    public void setSubmission(long entryId, long submissionId) {
        requireUpdated(sql.call(db -> db.update(ENTRY).set(ENTRY.SUBMISSION_ID, submissionId).where(ENTRY.ID.eq(entryId))
                .execute()), "entry", entryId);
    }

    private static EntryRow row(EntryRecord r) {
        return new EntryRow(r.getId(), r.getTeam(), r.getName(), DbEnum.parse(Family.class, r.getFamily()),
                r.getSubmissionId(), r.getCardId(), r.getBaseline(), r.getHidden(),
                DbEnum.parse(EntryStatus.class, r.getStatus()), r.getError(), r.getCreatedAt());
    }
}
