package org.brainfm.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.ServiceLoader;
import org.brainfm.BrainfmException;
import picocli.CommandLine;

/** Entry point of the {@code brainfm} launcher. */
public final class Main {
    /** Exit code for every error the user sees: bad input, bad options, failed work. */
    public static final int ERROR_EXIT = 2;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; tests call this directly. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // Read before parsing: a parse error must also honour --debug.
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new BrainfmCommand());
        ServiceLoader.load(Subcommand.class).forEach(cli::addSubcommand);
        // the commands' descriptions are written in lines of up to 95 characters; picocli's 80 would fold them
        cli.setUsageHelpWidth(100);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName(" ");
            String what = command.equals("brainfm") ? "command line" : command.substring("brainfm ".length());
            err.println("brainfm: " + what + ": " + e.getMessage() + " (see " + command + " --help)");
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return ERROR_EXIT;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            err.println(oneLine(e, c.getCommandSpec().qualifiedName(" ")));
            if (debug) {
                e.printStackTrace(err);
            } else if (!(e instanceof BrainfmException)) {
                err.println("brainfm: run again with --debug for the stack trace");
            }
            err.flush();
            return ERROR_EXIT;
        });
        return cli.execute(args);
    }

    /** {@code brainfm: <what>: <problem>} for any failure. */
    static String oneLine(Throwable e, String command) {
        if (e instanceof BrainfmException b) {
            return "brainfm: " + b.what() + ": " + b.problem();
        }
        String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof OutOfMemoryError) {
            problem = "out of memory (" + problem + "); raise -Xmx through BRAINFM_JAVA_OPTS";
        }
        return "brainfm: " + command.replaceFirst("^brainfm ?", "").trim() + ": " + problem.replace('\n', ' ');
    }
}
