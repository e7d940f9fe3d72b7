package org.brainfm.cli;

import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.data.Datasets;
import org.brainfm.records.BoardRule;
import org.brainfm.records.EvaluationSplit;
import org.brainfm.records.NewPhase;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.Records;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brainfm phases}: a challenge's phases - add, list, open, close (docs/challenge.md). */
@Command(
        name = "phases",
        header = "Adds, lists, opens and closes the phases of a challenge.",
        mixinStandardHelpOptions = true,
        description = {
            "A phase takes teams' uploads for some tasks while it is open, scores them on one",
            "split (sanity: 5 public finetuning cases; validation: the first quarter of the hidden",
            "test cases; test: the rest of them), allows each team N uploads per period, and has",
            "its own board (each team's best or latest, or the entry the organiser chose). A",
            "phase may require an entry scored in another first (a sanity phase before the test).",
            "Every change is written to the audit trail. docs/challenge.md has a whole challenge.",
        },
        footer = {"", "Example:",
            "  brainfm phases add sanity --tasks synthetic-meningioma --split sanity --limit 10 --open",
            "  brainfm phases add final --tasks synthetic-meningioma --split test --requires sanity \\",
            "      --opens 2026-12-10T00:00Z --closes 2026-12-20T00:00Z --limit 2 --period-hours 24",
            "  brainfm phases list", "  brainfm phases close sanity", "  brainfm phases rule final latest"},
        subcommands = {PhasesCommand.Add.class, PhasesCommand.ListPhases.class, PhasesCommand.Open.class,
            PhasesCommand.Close.class, PhasesCommand.Rule.class})
public final class PhasesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Who the audit trail names for a command-line action. */
    static String actor() {
        return "cli:" + System.getProperty("user.name", "?");
    }

    static PhaseRow phase(Records records, String name) {
        return records.phases().byName(name).orElseThrow(() -> new BrainfmException(name, "no such phase in "
                + records.location() + " (phases: " + String.join(", ", records.phases().all().stream().map(PhaseRow::name).toList())
                + ")"));
    }

    /** {@code brainfm phases add}. */
    @Command(name = "add", header = "Adds a phase.", mixinStandardHelpOptions = true,
            description = {"Adds a phase. It takes uploads from --opens (or now, with --open) until --closes."},
            footer = {"", "Example:", "  brainfm phases add sanity --tasks synthetic-meningioma --split sanity --open"})
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The phase's name (letters, digits, . _ -).")
        String name;

        @Option(names = "--tasks", required = true, split = ",", paramLabel = "TASK", description = "The tasks it scores (datasets.yaml).")
        List<String> tasks;

        @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
                description = "sanity, validation or test (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--track", defaultValue = "open", paramLabel = "TRACK",
                description = "The track it belongs to (default: ${DEFAULT-VALUE}); a board shows one track or all.")
        String track;

        @Option(names = "--opens", paramLabel = "TIME", description = "When it opens, ISO-8601 (2026-12-10T00:00Z).")
        String opens;

        @Option(names = "--open", description = "Open it now.")
        boolean openNow;

        @Option(names = "--closes", paramLabel = "TIME", description = "When it closes, ISO-8601.")
        String closes;

        @Option(names = "--limit", defaultValue = "3", paramLabel = "N", description = "Uploads per team and period (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--period-hours", defaultValue = "24", paramLabel = "H", description = "The limit's period (default: ${DEFAULT-VALUE}).")
        int periodHours;

        @Option(names = "--public-cases", negatable = true, paramLabel = "BOOL",
                description = "Show teams their per-case results (default: only in a sanity phase).")
        Boolean publicCases;

        @Option(names = "--rule", defaultValue = "best", paramLabel = "RULE",
                description = "Each team's best or latest scored entry on the board (default: ${DEFAULT-VALUE}).")
        String rule;

        @Option(names = "--requires", paramLabel = "PHASE", description = "A phase where a team must have an entry scored first.")
        String requires;

        @Mixin
        DatasetsOption datasets;

        @Mixin
        DbOption db;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
                throw new BrainfmException(name, "is not a phase name: letters, digits, '.', '_' and '-', 100 at most");
            }
            if (openNow && opens != null) {
                throw new BrainfmException("--open", "give --open or --opens TIME, not both");
            }
            Datasets known = datasets.load();
            for (String task : tasks) {
                if (known.tasks().stream().noneMatch(t -> t.name().equals(task))) {
                    throw new BrainfmException("--tasks " + task, "no such task in datasets.yaml (tasks: "
                            + String.join(", ", known.tasks().stream().map(t -> t.name()).toList()) + ")");
                }
            }
            EvaluationSplit s = parse("--split", () -> EvaluationSplit.of(split.toLowerCase(Locale.ROOT)));
            BoardRule r = parse("--rule", () -> BoardRule.of(rule.toLowerCase(Locale.ROOT)));
            try (Records records = db.open(spec.commandLine().getErr())) {
                Long required = requires == null ? null : phase(records, requires).id();
                NewPhase p = parse("phases add", () -> new NewPhase(name, track, tasks, s,
                        openNow ? OffsetDateTime.now(ZoneOffset.UTC) : time("--opens", opens), time("--closes", closes), limit,
                        periodHours, publicCases != null ? publicCases : s == EvaluationSplit.SANITY, r, required));
                long id = parse("phases add", () -> records.phases().add(p));
                records.audit().write(actor(), "phase added", p.toString());
                PrintWriter out = spec.commandLine().getOut();
                out.println("phase " + id + " (" + name + "): " + records.phases().get(id).orElseThrow().state(OffsetDateTime.now()));
                out.flush();
            }
            return 0;
        }
    }

    /** {@code brainfm phases list}. */
    @Command(name = "list", header = "Lists the phases.", mixinStandardHelpOptions = true)
    static final class ListPhases implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Records records = db.open(spec.commandLine().getErr())) {
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                List<PhaseRow> all = records.phases().all();
                if (all.isEmpty()) {
                    out.println("no phases yet: brainfm phases add --help");
                }
                for (PhaseRow p : all) {
                    out.printf(Locale.ROOT, "%-16s track %-10s %-10s %-28s %d per %d h, per-case %s, board: %s%s  tasks: %s%n", p.name(),
                            p.track(), p.split().id(), p.state(now), p.maxEntries(), p.periodHours(), p.publicCases() ? "public" : "private",
                            p.rule().id(), p.requiresPhaseId() == null ? "" : ", requires " + records.phases().get(p.requiresPhaseId())
                                    .map(PhaseRow::name).orElse("?"), String.join(",", p.tasks()));
                }
                out.flush();
            }
            return 0;
        }
    }

    /** A change to one phase, written to the audit trail: what {@code open}, {@code close} and {@code rule} share. */
    abstract static class PhaseChange implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        DbOption db;

        @Spec
        CommandSpec spec;

        /** Makes the change; returns what the audit trail and the user are told. */
        abstract String change(Records records, PhaseRow phase);

        @Override
        public Integer call() {
            try (Records records = db.open(spec.commandLine().getErr())) {
                PhaseRow p = phase(records, name);
                String done = change(records, p);
                records.audit().write(actor(), done, p.name());
                spec.commandLine().getOut().println("phase " + p.name() + ": " + done);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    /** {@code brainfm phases open NAME}. */
    @Command(name = "open", header = "Opens a phase now.", mixinStandardHelpOptions = true)
    static final class Open extends PhaseChange {
        @Override
        String change(Records records, PhaseRow phase) {
            records.phases().open(phase.id(), OffsetDateTime.now(ZoneOffset.UTC));
            return "phase opened";
        }
    }

    /** {@code brainfm phases close NAME}. */
    @Command(name = "close", header = "Closes a phase now.", mixinStandardHelpOptions = true)
    static final class Close extends PhaseChange {
        @Override
        String change(Records records, PhaseRow phase) {
            records.phases().close(phase.id(), OffsetDateTime.now(ZoneOffset.UTC));
            return "phase closed";
        }
    }

    /** {@code brainfm phases rule NAME best|latest}. */
    @Command(name = "rule", header = "Sets which scored entry of each team a phase's board shows.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  brainfm phases rule final latest"})
    static final class Rule extends PhaseChange {
        @Parameters(index = "1", paramLabel = "best|latest")
        String rule;

        @Override
        String change(Records records, PhaseRow phase) {
            BoardRule r = parse("rule", () -> BoardRule.of(rule.toLowerCase(Locale.ROOT)));
            records.phases().setRule(phase.id(), r);
            return "phase rule set: each team's " + r.id() + " scored entry (was " + phase.rule().id() + ")";
        }
    }

    private static OffsetDateTime time(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new BrainfmException(option + " " + text, "is not an ISO-8601 time with its offset (2026-12-10T00:00Z)");
        }
    }

    private static <T> T parse(String what, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new BrainfmException(what, e.getMessage());
        }
    }
}
