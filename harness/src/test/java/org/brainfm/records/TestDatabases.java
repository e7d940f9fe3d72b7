package org.brainfm.records;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, empty records database per test on either {@link Backend} (register with
 * {@code @RegisterExtension}): an H2 file, or a new database on the PostgreSQL server that
 * {@code BRAINFM_TEST_POSTGRES} names (a JDBC URL; credentials from PGUSER and PGPASSWORD or
 * PGPASSFILE, as brainfm takes them), dropped after the test. scripts/test starts such a server
 * and sets the variable (scripts/postgres-local); without it, the PostgreSQL half of a test is
 * skipped and says why.
 */
public final class TestDatabases implements AfterEachCallback {
    public static final String VARIABLE = "BRAINFM_TEST_POSTGRES";

    private final List<String> created = new ArrayList<>();

    /** A new, empty database: {@code records} under {@code dir} for H2, else a new PostgreSQL database. */
    public String url(Backend backend, Path dir) {
        return url(backend, dir, "records");
    }

    /** As {@link #url(Backend, Path)}, the H2 file named {@code name} (for a second database in one test). */
    public String url(Backend backend, Path dir, String name) {
        if (backend == Backend.H2) {
            return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
        }
        String server = server();
        String database = "brainfm_t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        execute(server, "CREATE DATABASE " + database);
        String url = server.replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*", "$1" + database);
        created.add(url);
        return url;
    }

    /** The server's URL; skips the test (with the reason) where no server is given. */
    public static String server() {
        String url = System.getenv(VARIABLE);
        assumeTrue(url != null && !url.isBlank(), VARIABLE + " is not set, so the PostgreSQL half of the records tests"
                + " is skipped: run ./scripts/test (it starts a server with scripts/postgres-local), or set it to"
                + " jdbc:postgresql://HOST:PORT/DB of a user that may create databases");
        return url.strip();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (String url : created) {
            // FORCE: a killed child JVM's connection may linger for a moment, and an autovacuum worker may be
            // visiting (ending it needs pg_signal_backend, which scripts/postgres-local grants)
            execute(server(), "DROP DATABASE IF EXISTS " + url.replaceFirst("^jdbc:postgresql://[^/]*/([^?]*).*$", "$1")
                    + " WITH (FORCE)");
        }
        created.clear();
    }

    private static void execute(String url, String sql) {
        try (Connection c = Database.at(url).connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
