package org.brainfm.records;

import static org.brainfm.records.db.Tables.RUN;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jooq.DSLContext;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;

/** Direct access to a records database for tests: what no caller of the repository may do. */
final class TestDb {
    private TestDb() {}

    static void with(String url, Consumer<DSLContext> work) {
        try (Connection connection = Database.at(url).connect()) {
            work.accept(DSL.using(connection, JDBCUtils.dialect(url),
                    new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flyway on the database at {@code url}, connecting as brainfm does. */
    static FluentConfiguration flyway(String url) {
        return Flyway.configure().dataSource(Database.at(url).dataSource());
    }

    /** Pretends a run belongs to another process: {@code host} null keeps the host. */
    static void setOwner(String url, long runId, String host, long pid) {
        with(url, db -> {
            var update = db.update(RUN).set(RUN.OWNER_PID, pid);
            if (host != null) {
                update = update.set(RUN.HOST, host);
            }
            update.where(RUN.ID.eq(runId)).execute();
        });
    }

    /** Sets a run's heartbeat (null: as a brainfm before schema 5 wrote it). */
    static void setHeartbeat(String url, long runId, OffsetDateTime at) {
        with(url, db -> db.update(RUN).set(RUN.HEARTBEAT_AT, at).where(RUN.ID.eq(runId)).execute());
    }

    /** The database's clock. */
    static OffsetDateTime now(String url) {
        OffsetDateTime[] now = new OffsetDateTime[1];
        with(url, db -> now[0] = db.select(DSL.currentOffsetDateTime()).fetchOne().value1());
        return now[0];
    }
}
