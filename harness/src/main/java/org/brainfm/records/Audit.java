package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.db.Tables.AUDIT;

import java.util.List;

/** What organisers did, and uploads that were refused: written once, never changed. */
public final class Audit {
    private static final int DETAIL_CHARS = 4_000;

    private final Sql sql;

    Audit(Sql sql) {
        this.sql = sql;
    }

    /** Writes one action: who did it (an organiser, a team, an address), what, and what changed. */
    public void write(String actor, String action, String detail) {
        String who = actor.length() <= 200 ? actor : actor.substring(0, 200);
        String what = action.length() <= 100 ? action : action.substring(0, 100);
        String text = detail.length() <= DETAIL_CHARS ? detail : detail.substring(0, DETAIL_CHARS - 3) + "...";
        sql.call(db -> db.insertInto(AUDIT).set(AUDIT.AT, now()).set(AUDIT.ACTOR, who).set(AUDIT.ACTION, what)
                .set(AUDIT.DETAIL, text).execute());
    }

    /** The latest {@code limit} actions, newest first. */
    public List<AuditRow> latest(int limit) {
        return sql.call(db -> db.selectFrom(AUDIT).orderBy(AUDIT.ID.desc()).limit(limit)
                .fetch(r -> new AuditRow(r.getId(), r.getAt(), r.getActor(), r.getAction(), r.getDetail())));
    }
}
