package org.brainfm.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.brainfm.BrainfmException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Table;

/**
 * The one connection the repositories share, and the lock around it: a JDBC connection serves one
 * statement at a time, so every use of it goes through {@link #call}, {@link #run} or
 * {@link #transaction}. Also the small helpers every repository needs.
 *
 * <p>With many writers (PostgreSQL), the database may abort a transaction to break a deadlock
 * (SQLSTATE 40P01) or a serialisation conflict (40001; H2 reports its deadlocks so too). Such a
 * transaction had no effect, so {@link #call} and {@link #transaction} run it again, up to
 * {@link #TRIES} times in all, after a growing, jittered pause; then they give up with a one-line
 * error. {@link #run} never repeats: its work may have handed rows to a caller already.
 */
final class Sql {
    /** Tries of a statement or transaction that the database keeps aborting. */
    static final int TRIES = 5;
    /** The first pause before a retry; each next one doubles, plus up to as much again at random. */
    private static final long BACKOFF_MILLIS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext dsl;
    private final String location;
    private final AtomicLong retries = new AtomicLong();

    Sql(DSLContext dsl, String location) {
        this.dsl = dsl;
        this.location = location;
    }

    /** How many aborted statements and transactions were run again since opening. */
    long retries() {
        return retries.get();
    }

    /** The jOOQ context for what must hold the lock across several calls (copying a database). */
    DSLContext dsl() {
        return dsl;
    }

    /** The database as messages name it. */
    String location() {
        return location;
    }

    /** One statement (or several that may each be repeated) and its result. */
    synchronized <T> T call(Function<DSLContext, T> query) {
        return retrying(() -> query.apply(dsl));
    }

    synchronized void run(Consumer<DSLContext> statement) {
        statement.accept(dsl);
    }

    /** All of {@code work} or none of it; run again whole when the database aborted it (see the class comment). */
    synchronized void transaction(Consumer<DSLContext> work) {
        retrying(() -> {
            dsl.transaction(tx -> work.accept(tx.dsl()));
            return null;
        });
    }

    private <T> T retrying(Supplier<T> attempt) {
        for (int tried = 1; ; tried++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                if (tried >= TRIES) {
                    throw new BrainfmException(location, "the database aborted the same transaction " + TRIES
                            + " times (deadlock or serialisation conflict with other writers); try again later: "
                            + Database.firstLine(e.getMessage()), e);
                }
                retries.incrementAndGet();
                long pause = BACKOFF_MILLIS << (tried - 1);
                try {
                    Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A deadlock (40P01) or serialisation failure (40001) anywhere in the causes: the database undid the work. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // a batch reports the statement's own error as the next exception
            for (SQLException sql = t instanceof SQLException s ? s : null; sql != null; sql = sql.getNextException()) {
                if ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Fails unless {@code key} (when given) names a row of {@code table}. */
    void requireExists(Object key, Table<?> table, Condition condition, String what) {
        if (key != null && !call(db -> db.fetchExists(table, condition))) {
            throw new IllegalArgumentException("no " + what + " '" + key + "' in the records " + location);
        }
    }

    static void requireUpdated(int rows, String what, long id) {
        if (rows != 1) {
            throw new IllegalArgumentException("no " + what + " " + id + " in the records");
        }
    }

    static JsonNode json(String what, String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + ": stored definition is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The database's clock: what leases and heartbeats are measured on, the same for every host. */
    OffsetDateTime databaseNow() {
        return call(db -> db.select(org.jooq.impl.DSL.currentOffsetDateTime()).fetchOne().value1());
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
