package org.brainfm.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.brainfm.records.DatabaseCopy;
import org.brainfm.records.Records;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm db}: the records database itself; {@code db copy} moves a study between databases. */
@Command(
        name = "db",
        header = "Works on the records database itself (copy a study to another database).",
        mixinStandardHelpOptions = true,
        description = {
            "The records live in one database: an H2 file (.brainfm/brainfm by default) on one",
            "machine, or a PostgreSQL database that many machines share (docs/records.md).",
            "copy moves a whole study from one to the other, ids and lineages kept.",
        },
        footer = {
            "",
            "Example:",
            "  brainfm db copy --from jdbc:h2:file:./.brainfm/brainfm \\",
            "      --to jdbc:postgresql://db:5432/brainfm",
        },
        subcommands = {DbCommand.DbCopyCommand.class})
public final class DbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code brainfm db copy --from URL --to URL}. */
    @Command(
            name = "copy",
            header = "Copies every record of one database into another that holds no runs yet.",
            mixinStandardHelpOptions = true,
            description = {
                "Copies a whole study - datasets, tasks, cards, submissions, entries, and",
                "runs with their curves, compute and result sets - from --from into --to,",
                "keeping every id and so every lineage (a run's init run, an entry's",
                "submission): start on a laptop's H2 file, go on on the cluster's",
                "PostgreSQL, or bring the shared records home.",
                "",
                "--to is created (H2) and migrated to this brainfm's schema first. It",
                "must hold no runs, entries or submissions; its datasets, tasks and cards",
                "are merged by id (--from wins). The copy is one transaction: all of it",
                "or nothing. New rows in --to then take the ids after the copied ones.",
                "--from is read from one snapshot and left as it is (but for what any",
                "open does: migrating it, marking runs whose process is gone).",
                "",
                "PostgreSQL credentials: PGUSER and PGPASSWORD, or ~/.pgpass (or the",
                "file PGPASSFILE names); messages name a server by host, port and",
                "database, never a password.",
            },
            footer = {
                "",
                "Example:",
                "  # laptop -> cluster",
                "  PGUSER=alice brainfm db copy --from jdbc:h2:file:./.brainfm/brainfm \\",
                "      --to jdbc:postgresql://db.lab:5432/brainfm",
                "  # and back, into a new file",
                "  brainfm db copy --from jdbc:postgresql://db.lab:5432/brainfm \\",
                "      --to jdbc:h2:file:./home/brainfm",
            })
    public static final class DbCopyCommand implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "JDBC-URL",
                description = "The database to copy from (e.g. jdbc:h2:file:./.brainfm/brainfm).")
        String from;

        @Option(names = "--to", required = true, paramLabel = "JDBC-URL",
                description = "The database to copy into: new, or without runs, entries and submissions"
                        + " (e.g. jdbc:postgresql://host:5432/brainfm).")
        String to;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Long> rows = DatabaseCopy.copy(from, to);
            out.println("copied " + Records.location(from) + " into " + Records.location(to) + ":");
            rows.forEach((table, n) -> out.println(String.format("  %-17s %,d", table, n)));
            out.flush();
            return 0;
        }
    }
}
