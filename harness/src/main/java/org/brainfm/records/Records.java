package org.brainfm.records;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.brainfm.BrainfmException;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;

/**
 * The records: one database (an H2 file by default, any JDBC URL that jOOQ has a dialect for
 * otherwise) seen through one repository per idea - the {@link #catalog} of datasets, tasks and
 * cards, {@link #submissions}, {@link #entries}, {@link #runs} with their curves and compute,
 * their {@link #results}, the {@link #board} that is a query over them, and a challenge's
 * {@link #teams}, {@link #phases} and {@link #audit} trail. Everything brainfm
 * shows is read from here.
 *
 * <p>Opening applies the Flyway migrations and marks as {@link RunStatus#INTERRUPTED} every
 * {@code running} run of this host whose process is gone, and every one of any host whose
 * heartbeat is older than the lease ({@link Runs}). One instance holds one connection that its
 * repositories share under one lock, so threads may share it; many processes, on many hosts,
 * may share a PostgreSQL database (docs/records.md).
 */
public final class Records implements AutoCloseable {
    private final Database database;
    private final Connection connection;
    private final Catalog catalog;
    private final Submissions submissions;
    private final Entries entries;
    private final Results results;
    private final Runs runs;
    private final Board board;
    private final Teams teams;
    private final Phases phases;
    private final Audit audit;
    private final List<Long> interruptedOnOpen;
    private final Lease lease;

    private final Sql sql;

    private Records(Database database, Owner owner, Lease lease) {
        this.database = database;
        this.lease = lease;
        this.connection = database.openAndMigrate();
        SQLDialect dialect = JDBCUtils.dialect(database.url());
        // Unquoted names: each database folds them its own way (H2 up, PostgreSQL down).
        Settings settings = new Settings()
                .withRenderQuotedNames(RenderQuotedNames.NEVER)
                .withExecuteLogging(false);
        this.sql = new Sql(DSL.using(connection, dialect, settings), database.name());
        this.catalog = new Catalog(sql);
        this.submissions = new Submissions(sql);
        this.entries = new Entries(sql);
        this.results = new Results(sql);
        this.runs = new Runs(sql, results, owner, lease);
        this.board = new Board(sql);
        this.teams = new Teams(sql);
        this.phases = new Phases(sql);
        this.audit = new Audit(sql);
        try {
            this.interruptedOnOpen = runs.markDeadRunsInterrupted();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens (creating an H2 file if there is none) and migrates the records at a JDBC URL.
     * PostgreSQL's credentials come from the environment or a pgpass file (see {@link Database});
     * {@code BRAINFM_HOST} and {@code BRAINFM_RUN_LEASE} set the host runs are recorded on and the
     * heartbeat lease ({@link Owner}, {@link Lease}).
     */
    public static Records open(String url) {
        Lease lease = Lease.fromEnvironment(System.getenv());
        return new Records(Database.at(url), Owner.current(), lease);
    }

    /** Opens as {@code owner} (a process on another host, for tests) with its own lease. */
    static Records open(String url, Owner owner, Lease lease) {
        return new Records(Database.at(url), owner, lease);
    }

    /**
     * The URL to use: {@code --db} when given, else the {@code BRAINFM_DB} environment
     * variable, else the H2 file {@code .brainfm/brainfm} under {@code workDir}.
     */
    public static String resolveUrl(String option, String environment, Path workDir) {
        return Database.resolveUrl(option, environment, workDir);
    }

    /** False only when the URL names an H2 file that does not exist yet. */
    public static boolean exists(String url) {
        return !Database.at(url).missingFile();
    }

    /** How messages name the database at a URL: its H2 file, or the URL without its options. */
    public static String location(String url) {
        return Database.at(url).name();
    }

    /** The database as errors and messages name it: the H2 file, or the URL without its options. */
    public String location() {
        return database.name();
    }

    /**
     * How long a worker's claim holds without renewal: a running run's heartbeat, a submission
     * being scored ({@code BRAINFM_RUN_LEASE}, seconds; five minutes by default).
     */
    public java.time.Duration lease() {
        return lease.length();
    }

    /** Runs this open found abandoned by their process and marked interrupted. */
    public List<Long> interruptedOnOpen() {
        return interruptedOnOpen;
    }

    public Catalog catalog() {
        return catalog;
    }

    public Submissions submissions() {
        return submissions;
    }

    public Entries entries() {
        return entries;
    }

    public Runs runs() {
        return runs;
    }

    public Results results() {
        return results;
    }

    public Board board() {
        return board;
    }

    public Teams teams() {
        return teams;
    }

    public Phases phases() {
        return phases;
    }

    public Audit audit() {
        return audit;
    }

    /** How many statements and transactions the database aborted (deadlock, serialisation) and were run again. */
    public long retries() {
        return sql.retries();
    }

    Sql sql() {
        return sql;
    }

    /** Stops the heartbeat (runs still going here then expire after the lease) and closes the connection. */
    @Override
    public void close() {
        runs.stopHeartbeat();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new BrainfmException(database.name(), "could not be closed cleanly: "
                    + Database.firstLine(e.getMessage()), e);
        }
    }
}
