package org.brainfm.records;

import static org.brainfm.records.db.Tables.RUN;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** Direct access to a records database for tests: what no caller of the repository may do. */
final class TestDb {
    private TestDb() {}

    static void with(String url, Consumer<DSLContext> work) {
        try (Connection connection = DriverManager.getConnection(url)) {
            work.accept(DSL.using(connection, SQLDialect.H2,
                    new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
}
