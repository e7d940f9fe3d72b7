package org.brainfm.records;

import static org.brainfm.records.db.Tables.AGGREGATE_RESULT;
import static org.brainfm.records.db.Tables.AUDIT;
import static org.brainfm.records.db.Tables.CASE_RESULT;
import static org.brainfm.records.db.Tables.DATASET;
import static org.brainfm.records.db.Tables.ENTRY;
import static org.brainfm.records.db.Tables.EPOCH_LOG;
import static org.brainfm.records.db.Tables.MODEL_CARD;
import static org.brainfm.records.db.Tables.PHASE;
import static org.brainfm.records.db.Tables.RUN;
import static org.brainfm.records.db.Tables.SUBMISSION;
import static org.brainfm.records.db.Tables.TASK;
import static org.brainfm.records.db.Tables.TEAM;
import static org.jooq.impl.DSL.max;

import java.sql.Connection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.brainfm.BrainfmException;
import org.jooq.BatchBindStep;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.TableField;

/**
 * {@code brainfm db copy}: a whole study from one records database into another (an H2 file on a
 * laptop into the shared PostgreSQL, and back), ids and lineages kept ({@code run.init_run_id},
 * {@code entry.submission_id}, {@code submission.init_run_id}...). The target is migrated first
 * and must hold no runs, entries or submissions; its datasets, tasks and cards are merged by id
 * (the source's version wins). Every table is copied in dependency order in one transaction, read
 * from one snapshot of the source; then the identity columns of the target restart past the
 * copied ids, so that new rows do not collide with them.
 */
public final class DatabaseCopy {
    /** Rows per JDBC batch (and per fetch from the source). */
    private static final int BATCH_ROWS = 5_000;

    private DatabaseCopy() {}

    /** Copies the records at {@code fromUrl} into {@code toUrl}; returns the rows copied per table, in copy order. */
    public static Map<String, Long> copy(String fromUrl, String toUrl) {
        Database from = Database.at(fromUrl);
        Database to = Database.at(toUrl);
        if (from.name().equals(to.name())) {
            throw new BrainfmException("--to", "is the same database as --from (" + from.name() + "); give another one");
        }
        if (from.missingFile()) {
            throw new BrainfmException(from.name(), "does not exist: there is nothing to copy (check --from)");
        }
        try (Records source = Records.open(fromUrl); Records target = Records.open(toUrl)) {
            refuseUnlessEmpty(target);
            DSLContext read = source.sql().dsl();
            DSLContext write = target.sql().dsl();
            // one snapshot of the source across all its tables, even while others write to it
            read.connection(c -> c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ));
            boolean transactionalDdl = write.dialect().family() == SQLDialect.POSTGRES;
            Map<String, Long> rows = new LinkedHashMap<>();
            read.transaction(r -> write.transaction(w -> {
                copyAll(r.dsl(), w.dsl(), rows);
                if (transactionalDdl) {
                    restartIdentities(w.dsl());
                }
            }));
            if (!transactionalDdl) {
                // H2 commits at every ALTER TABLE: after the rows, never between them
                restartIdentities(write);
            }
            return rows;
        }
    }

    private static void refuseUnlessEmpty(Records target) {
        DSLContext db = target.sql().dsl();
        int runs = db.fetchCount(RUN);
        int entries = db.fetchCount(ENTRY);
        int submissions = db.fetchCount(SUBMISSION);
        if (runs + entries + submissions > 0) {
            throw new BrainfmException(target.location(), "already holds " + runs + " runs, " + entries + " entries and "
                    + submissions + " submissions; db copy only fills a database without them, so that every id"
                    + " stays as it was: give a new H2 file or a new PostgreSQL database (createdb -O USER NAME)");
        }
    }

    private static void copyAll(DSLContext from, DSLContext to, Map<String, Long> rows) {
        // the catalog: merged by id
        for (Table<?> table : List.of(DATASET, TASK, MODEL_CARD)) {
            long n = 0;
            for (Record r : from.selectFrom(table).orderBy(table.getPrimaryKey().getFields()).fetch()) {
                Map<Field<?>, Object> values = new LinkedHashMap<>();
                for (Field<?> f : table.fields()) {
                    values.put(f, r.get(f));
                }
                to.insertInto(table).set(values).onDuplicateKeyUpdate().set(values).execute();
                n++;
            }
            rows.put(table.getName(), n);
        }
        // a phase requires only an earlier phase: by id, it is there before it
        rows.put(TEAM.getName(), copyRows(from, to, TEAM, Record::get));
        rows.put(PHASE.getName(), copyRows(from, to, PHASE, Record::get));
        // submission -> run (init_run_id) -> entry -> submission is a cycle: submissions first without
        // their init run, which is set once the runs are there
        rows.put(SUBMISSION.getName(), copyRows(from, to, SUBMISSION,
                (r, f) -> f.equals(SUBMISSION.INIT_RUN_ID) ? null : r.get(f)));
        rows.put(ENTRY.getName(), copyRows(from, to, ENTRY, Record::get));
        // by id: a run's init run (an earlier id) is always there before it
        rows.put(RUN.getName(), copyRows(from, to, RUN, Record::get));
        for (Record r : from.select(SUBMISSION.ID, SUBMISSION.INIT_RUN_ID).from(SUBMISSION)
                .where(SUBMISSION.INIT_RUN_ID.isNotNull()).fetch()) {
            to.update(SUBMISSION).set(SUBMISSION.INIT_RUN_ID, r.get(SUBMISSION.INIT_RUN_ID))
                    .where(SUBMISSION.ID.eq(r.get(SUBMISSION.ID))).execute();
        }
        for (Table<?> table : List.of(EPOCH_LOG, CASE_RESULT, AGGREGATE_RESULT, AUDIT)) {
            rows.put(table.getName(), copyRows(from, to, table, Record::get));
        }
    }

    /** Streams a table in primary-key order into batched inserts; {@code value} picks each column's value. */
    private static long copyRows(DSLContext from, DSLContext to, Table<?> table,
            BiFunction<Record, Field<?>, Object> value) {
        Field<?>[] fields = table.fields();
        long n = 0;
        BatchBindStep batch = null;
        int inBatch = 0;
        try (Cursor<? extends Record> cursor = from.selectFrom(table).orderBy(table.getPrimaryKey().getFields())
                .fetchSize(BATCH_ROWS).fetchLazy()) {
            for (Record r : cursor) {
                if (batch == null) {
                    batch = to.batch(to.insertInto(table).columns(fields).values(Collections.nCopies(fields.length, null)));
                }
                Object[] values = new Object[fields.length];
                for (int i = 0; i < fields.length; i++) {
                    values[i] = value.apply(r, fields[i]);
                }
                batch.bind(values);
                n++;
                if (++inBatch == BATCH_ROWS) {
                    batch.execute();
                    batch = null;
                    inBatch = 0;
                }
            }
        }
        if (batch != null) {
            batch.execute();
        }
        return n;
    }

    /** Moves each identity column's next value past the largest id copied. */
    private static void restartIdentities(DSLContext db) {
        for (TableField<?, Long> id : List.of(TEAM.ID, PHASE.ID, SUBMISSION.ID, ENTRY.ID, RUN.ID, AUDIT.ID)) {
            Long max = db.select(max(id)).from(id.getTable()).fetchOne().value1();
            if (max != null) {
                // DDL takes no bind values; the number is ours
                db.execute("ALTER TABLE " + id.getTable().getName() + " ALTER COLUMN " + id.getName()
                        + " RESTART WITH " + (max + 1));
            }
        }
    }
}
