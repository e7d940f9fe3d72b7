package org.brainfm.records;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.brainfm.BrainfmException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Where the records live and how to open them: the JDBC URL, the H2 file behind it, the
 * credentials of a PostgreSQL server, the connection, and the Flyway migrations. Every failure
 * to open becomes a one-line {@link BrainfmException} that names the file (or the server by
 * host, port and database, never a password) and says what to do; nothing here ever deletes,
 * cleans or recreates an existing database.
 *
 * <p>PostgreSQL credentials: the user from the URL, else {@code PGUSER}, else the operating
 * system's user (as psql does); the password from the URL, else {@code PGPASSWORD}, else the
 * driver reads the pgpass file itself ({@code PGPASSFILE}, else {@code ~/.pgpass}).
 */
final class Database {
    static final String DEFAULT_RELATIVE = ".brainfm/brainfm";
    /** H2 error codes (org.h2.api.ErrorCode), kept here so that the logic reads without the H2 jar. */
    private static final int H2_ALREADY_OPEN = 90020;
    private static final int H2_FILE_CORRUPTED = 90030;
    private static final int H2_FILE_VERSION = 90048;
    private static final int H2_GENERAL_ERROR = 50000;
    private static final int H2_IO_EXCEPTION = 90028;
    private static final int H2_WRONG_USER_OR_PASSWORD = 28000;

    private final String url;
    private final Optional<Path> h2File;
    private final boolean postgresql;
    /** The environment credentials come from (tests give their own). */
    private final Map<String, String> environment;

    private Database(String url, Map<String, String> environment) {
        this.url = url;
        this.h2File = h2FileOf(url);
        this.postgresql = url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
        this.environment = environment;
    }

    static Database at(String url) {
        return at(url, System.getenv());
    }

    static Database at(String url, Map<String, String> environment) {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new BrainfmException("--db", "'" + url + "' is not a JDBC URL; give e.g. jdbc:h2:file:./"
                    + DEFAULT_RELATIVE + " or jdbc:postgresql://host:5432/brainfm");
        }
        return new Database(url, environment);
    }

    /** The URL from --db, else from BRAINFM_DB, else the H2 file {@code .brainfm/brainfm} under {@code workDir}. */
    static String resolveUrl(String option, String environment, Path workDir) {
        if (option != null && !option.isBlank()) {
            return option.trim();
        }
        if (environment != null && !environment.isBlank()) {
            return environment.trim();
        }
        return "jdbc:h2:file:" + workDir.toAbsolutePath().normalize().resolve(DEFAULT_RELATIVE);
    }

    String url() {
        return url;
    }

    /**
     * The name errors give: the H2 file, else the URL without its query and without any
     * user:password@ (either may hold a password), e.g. jdbc:postgresql://db:5432/brainfm.
     */
    String name() {
        return h2File.map(Path::toString).orElse(url.replaceAll("[?;].*$", "").replaceFirst("//[^/@]*@", "//"));
    }

    boolean isPostgresql() {
        return postgresql;
    }

    /** True when the database is an H2 file that does not exist yet (opening it would create it). */
    boolean missingFile() {
        return h2File.isPresent() && !Files.exists(h2File.get());
    }

    /**
     * Opens a connection, refuses a schema newer than this code knows, and applies the
     * migrations this code has that the database lacks.
     */
    Connection openAndMigrate() {
        boolean existed = h2File.map(Files::exists).orElse(false);
        if (existed && !(Files.isReadable(h2File.get()) && Files.isWritable(h2File.get()))) {
            throw new BrainfmException(name(), "cannot be read and written by this user; fix its permissions"
                    + " or use another --db");
        }
        Connection connection = connect(existed);
        try {
            // H2 takes a file whose every chunk is lost (emptied, truncated to its headers) for a
            // new, empty database; migrating into it would silently start the records over.
            if (existed && hasNoTables(connection)) {
                throw new BrainfmException(name(), "has lost its content (emptied or truncated?); brainfm will not"
                        + " start over in it: restore it from a backup, or move it aside, or use another --db");
            }
            migrate();
            return connection;
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** A new connection, credentials and all, or a one-line error naming the database. */
    Connection connect() {
        return connect(h2File.map(Files::exists).orElse(false));
    }

    private Connection connect(boolean existed) {
        try {
            return rawConnection();
        } catch (SQLException e) {
            throw openError(e, existed);
        }
    }

    private Connection rawConnection() throws SQLException {
        // WRITE_DELAY=0: H2 writes each commit to the file at once, so a killed process
        // loses no committed transaction (the default delays writes by up to half a second).
        String connectUrl = h2File.isPresent() && !url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY")
                ? url + ";WRITE_DELAY=0" : url;
        return DriverManager.getConnection(connectUrl, credentials());
    }

    /** PostgreSQL's user and password where the URL does not give them (see the class comment). */
    private Properties credentials() {
        Properties properties = new Properties();
        if (!postgresql) {
            return properties;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.matches(".*[?&]user=.*")) {
            String user = environment.get("PGUSER");
            properties.setProperty("user", user != null && !user.isBlank() ? user : System.getProperty("user.name"));
        }
        String password = environment.get("PGPASSWORD");
        if (!lower.matches(".*[?&]password=.*") && password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        if (!lower.contains("applicationname=")) {
            properties.setProperty("ApplicationName", "brainfm");
        }
        return properties;
    }

    /** The user a PostgreSQL connection logs in as, for messages. */
    private String user() {
        Matcher m = Pattern.compile("[?&]user=([^&]*)").matcher(url);
        return m.find() ? m.group(1) : credentials().getProperty("user");
    }

    /** Flyway's connections, made as ours are (credentials, H2 settings). */
    DataSource dataSource() {
        return new Connector();
    }

    private void migrate() {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource())
                .locations("classpath:db/migration")
                .cleanDisabled(true)
                .load();
        try {
            refuseNewerSchema(flyway.info());
            flyway.migrate();
        } catch (FlywayException e) {
            SQLException sql = sqlCause(e);
            if (sql != null) {
                throw openError(sql, h2File.isPresent());
            }
            throw new BrainfmException(name(), "cannot apply brainfm's schema: " + firstLine(e.getMessage())
                    + "; if this database is not brainfm's, use another --db");
        }
    }

    private void refuseNewerSchema(MigrationInfoService info) {
        MigrationInfo current = info.current();
        MigrationVersion known = Arrays.stream(info.all())
                .filter(m -> m.getState().isResolved())
                .map(MigrationInfo::getVersion)
                .max(MigrationVersion::compareTo)
                .orElse(MigrationVersion.EMPTY);
        if (current != null && current.getVersion() != null && current.getVersion().compareTo(known) > 0) {
            throw new BrainfmException(name(), "was written by a newer brainfm (schema version "
                    + current.getVersion() + " > " + known + "); upgrade brainfm or use another --db");
        }
    }

    private BrainfmException openError(SQLException e, boolean existed) {
        int code = e.getErrorCode();
        if (code == H2_ALREADY_OPEN) {
            return new BrainfmException(name(), "is in use by another process (a brainfm run or the board);"
                    + " wait for it or stop it, or use another --db (to share it, give both ;AUTO_SERVER=TRUE"
                    + " in --db)", e);
        }
        if (postgresql) {
            BrainfmException pg = postgresqlError(e);
            if (pg != null) {
                return pg;
            }
        } else if (code == H2_WRONG_USER_OR_PASSWORD) {
            return new BrainfmException(name(), "the user name or password was refused; fix them in the --db URL", e);
        }
        boolean damaged = code == H2_FILE_CORRUPTED || code == H2_FILE_VERSION || code == H2_GENERAL_ERROR
                || code == H2_IO_EXCEPTION;
        if (h2File.isPresent() && existed && damaged) {
            return new BrainfmException(name(), "cannot be read: it is corrupt or not an H2 2.x database (H2 error "
                    + code + "); brainfm leaves it untouched: restore it from a backup, or move it aside (H2's"
                    + " Recover tool may salvage it) and start a new one, or use another --db", e);
        }
        return new BrainfmException(name(), "cannot open the database: " + detail(e), e);
    }

    /** The driver's message, without the URL (drivers quote it, password and all) or the password. */
    private String detail(SQLException e) {
        String detail = firstLine(e.getMessage()).replace(url, name());
        String password = environment.get("PGPASSWORD");
        return password == null || password.isEmpty() ? detail : detail.replace(password, "***");
    }

    /** What to do about PostgreSQL's refusals (SQLSTATE classes 08, 28, 3D), or null for others. */
    private BrainfmException postgresqlError(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = "PGUSER and PGPASSWORD, or a line host:port:database:user:password in ~/.pgpass (or the"
                + " file PGPASSFILE names)";
        if (state.equals("28P01") || state.equals("28000")) {
            return new BrainfmException(name(), "the server refused user '" + user() + "' (wrong user name or"
                    + " password, or no pg_hba.conf line lets it in); set " + where, e);
        }
        if (state.equals("08004") && String.valueOf(e.getMessage()).contains("no password")) {
            return new BrainfmException(name(), "the server asks for a password for user '" + user() + "' and"
                    + " none was given; set " + where, e);
        }
        if (state.equals("3D000")) {
            return new BrainfmException(name(), "the server has no such database; create it (createdb -O "
                    + user() + " NAME) or fix the name in --db", e);
        }
        if (state.startsWith("08")) {
            return new BrainfmException(name(), "cannot reach the server: " + detail(e), e);
        }
        return null;
    }

    static Optional<Path> h2FileOf(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        String path = options < 0 ? rest : rest.substring(0, options);
        String lowerPath = path.toLowerCase(Locale.ROOT);
        if (lowerPath.startsWith("mem:") || lowerPath.startsWith("tcp:") || lowerPath.startsWith("ssl:")
                || lowerPath.startsWith("zip:") || lowerPath.startsWith("split:") || lowerPath.startsWith("nio")) {
            return Optional.empty();
        }
        if (lowerPath.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Optional.of(Path.of(path + ".mv.db").toAbsolutePath().normalize());
    }

    private boolean hasNoTables(Connection connection) {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", null)) {
            while (tables.next()) {
                if (!"INFORMATION_SCHEMA".equalsIgnoreCase(tables.getString("TABLE_SCHEM"))) {
                    return false;
                }
            }
            return true;
        } catch (SQLException e) {
            throw openError(e, true);
        }
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.strip().lines().findFirst().orElse("no detail");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // the open already failed; that error is the one to report
        }
    }

    /** The smallest DataSource Flyway needs: new connections from {@link #rawConnection}. */
    private final class Connector implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return rawConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("brainfm gives its own credentials");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // no log
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // the driver's own
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
