package org.brainfm.records;

import static org.brainfm.records.Sql.now;
import static org.brainfm.records.db.Tables.PHASE;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.brainfm.records.db.tables.records.PhaseRecord;

/** The phases of a challenge: what each scores, when it is open and what it allows (docs/challenge.md). */
public final class Phases {
    private final Sql sql;

    Phases(Sql sql) {
        this.sql = sql;
    }

    /** Records a phase; a name already taken, or a required phase that does not exist, is refused. */
    public long add(NewPhase p) {
        if (byName(p.name()).isPresent()) {
            throw new IllegalArgumentException("there is a phase called '" + p.name() + "' already");
        }
        sql.requireExists(p.requiresPhaseId(), PHASE, PHASE.ID.eq(p.requiresPhaseId()), "phase");
        return sql.call(db -> db.insertInto(PHASE)
                .set(PHASE.NAME, p.name())
                .set(PHASE.TRACK, p.track())
                .set(PHASE.TASKS, String.join(",", p.tasks()))
                .set(PHASE.SPLIT, p.split().id())
                .set(PHASE.OPENS_AT, p.opensAt())
                .set(PHASE.CLOSES_AT, p.closesAt())
                .set(PHASE.MAX_ENTRIES, p.maxEntries())
                .set(PHASE.PERIOD_HOURS, p.periodHours())
                .set(PHASE.PUBLIC_CASES, p.publicCases())
                .set(PHASE.BOARD_RULE, p.rule().id())
                .set(PHASE.REQUIRES_PHASE_ID, p.requiresPhaseId())
                .set(PHASE.CREATED_AT, now())
                .returning(PHASE.ID).fetchOne(PHASE.ID));
    }

    /** Opens a phase at {@code at} (now, usually); a close time at or before it is cleared. */
    public void open(long phaseId, OffsetDateTime at) {
        Sql.requireUpdated(sql.call(db -> db.update(PHASE).set(PHASE.OPENS_AT, at)
                .set(PHASE.CLOSES_AT, org.jooq.impl.DSL.when(PHASE.CLOSES_AT.le(at), (OffsetDateTime) null).otherwise(PHASE.CLOSES_AT))
                .where(PHASE.ID.eq(phaseId)).execute()), "phase", phaseId);
    }

    /** Closes a phase at {@code at}: no submission is taken from then on. */
    public void close(long phaseId, OffsetDateTime at) {
        Sql.requireUpdated(sql.call(db -> db.update(PHASE).set(PHASE.CLOSES_AT, at).where(PHASE.ID.eq(phaseId)).execute()),
                "phase", phaseId);
    }

    public void setRule(long phaseId, BoardRule rule) {
        Sql.requireUpdated(sql.call(db -> db.update(PHASE).set(PHASE.BOARD_RULE, rule.id()).where(PHASE.ID.eq(phaseId)).execute()),
                "phase", phaseId);
    }

    public Optional<PhaseRow> get(long id) {
        return sql.call(db -> db.selectFrom(PHASE).where(PHASE.ID.eq(id)).fetchOptional()).map(Phases::row);
    }

    public Optional<PhaseRow> byName(String name) {
        return sql.call(db -> db.selectFrom(PHASE).where(PHASE.NAME.eq(name)).fetchOptional()).map(Phases::row);
    }

    /** Every phase, in the order they were added. */
    public List<PhaseRow> all() {
        return sql.call(db -> db.selectFrom(PHASE).orderBy(PHASE.ID).fetch(Phases::row));
    }

    private static PhaseRow row(PhaseRecord r) {
        return new PhaseRow(r.getId(), r.getName(), r.getTrack(), Arrays.asList(r.getTasks().split(",")),
                EvaluationSplit.of(r.getSplit()), r.getOpensAt(), r.getClosesAt(), r.getMaxEntries(), r.getPeriodHours(),
                r.getPublicCases(), BoardRule.of(r.getBoardRule()), r.getRequiresPhaseId(), r.getCreatedAt());
    }
}
