package org.brainfm.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.records.Records;
import org.brainfm.records.TeamRow;
import org.brainfm.records.Teams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brainfm teams}: a challenge's teams and their upload tokens. */
@Command(
        name = "teams",
        header = "Adds and lists the teams of a challenge.",
        mixinStandardHelpOptions = true,
        description = {
            "add prints the new team's token once: hand it to the team. Only its SHA-256 is kept,",
            "so a lost token cannot be shown again (add the team under a new name). A team uploads",
            "with it (POST /api/submissions, or the site's /team page) and sees only its own entries.",
        },
        footer = {"", "Example:", "  brainfm teams add 'Team Alpha'", "  brainfm teams list"},
        subcommands = {TeamsCommand.Add.class, TeamsCommand.ListTeams.class})
public final class TeamsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code brainfm teams add NAME}. */
    @Command(name = "add", header = "Adds a team and prints its token (once).", mixinStandardHelpOptions = true)
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The team's name as the board shows it.")
        String name;

        @Mixin
        DbOption db;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (name.isBlank() || name.length() > 100 || name.codePoints().anyMatch(c -> Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT)) {
                throw new BrainfmException(name.strip(), "is not a team name: 1 to 100 printable characters, no control or"
                        + " direction-changing characters");
            }
            try (Records records = db.open(spec.commandLine().getErr())) {
                Teams.Added added;
                try {
                    added = records.teams().add(name.strip());
                } catch (IllegalArgumentException e) {
                    throw new BrainfmException("teams add", e.getMessage());
                }
                records.audit().write(PhasesCommand.actor(), "team added", added.team().name());
                PrintWriter out = spec.commandLine().getOut();
                out.println("team " + added.team().id() + " (" + added.team().name() + ")");
                out.println("token: " + added.token());
                out.println("(shown once; only its hash is kept)");
                out.flush();
            }
            return 0;
        }
    }

    /** {@code brainfm teams list}. */
    @Command(name = "list", header = "Lists the teams (never their tokens).", mixinStandardHelpOptions = true)
    static final class ListTeams implements Callable<Integer> {
        @Mixin
        DbOption db;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Records records = db.open(spec.commandLine().getErr())) {
                for (TeamRow t : records.teams().all()) {
                    out.println(t.id() + "  " + t.name() + "  (since " + t.created() + ", "
                            + records.submissions().ofTeam(t.id()).size() + " uploads)");
                }
            }
            out.flush();
            return 0;
        }
    }
}
