package org.brainfm.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Table;

/**
 * The one connection the repositories share, and the lock around it: a JDBC connection serves one
 * statement at a time, so every use of it goes through {@link #call}, {@link #run} or
 * {@link #transaction}. Also the small helpers every repository needs.
 */
final class Sql {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext dsl;
    private final String location;

    Sql(DSLContext dsl, String location) {
        this.dsl = dsl;
        this.location = location;
    }

    /** The database as messages name it. */
    String location() {
        return location;
    }

    synchronized <T> T call(Function<DSLContext, T> query) {
        return query.apply(dsl);
    }

    synchronized void run(Consumer<DSLContext> statement) {
        statement.accept(dsl);
    }

    /** All of {@code work} or none of it. */
    synchronized void transaction(Consumer<DSLContext> work) {
        dsl.transaction(tx -> work.accept(tx.dsl()));
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

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
