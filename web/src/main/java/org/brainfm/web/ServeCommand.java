package org.brainfm.web;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.brainfm.BrainfmException;
import org.brainfm.challenge.Uploads;
import org.brainfm.cli.DbOption;
import org.brainfm.cli.ScoringOption;
import org.brainfm.cli.Subcommand;
import org.brainfm.records.Records;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm serve}: the leaderboard site over the records, until stopped. */
@Command(
        name = "serve",
        header = "Serves the leaderboard site.",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the leaderboard: the overall board, one board per task, entry pages with",
            "training curves, the CNN-vs-transformer comparison, the tasks and the metric",
            "conventions; JSON under /api/ and CSV under /export/. Reads the records; hides",
            "or shows entries only for an organiser holding the token in BRAINFM_ADMIN_TOKEN.",
            "",
            "A challenge (docs/challenge.md): teams upload entries with their tokens (brainfm teams",
            "add) to open phases (brainfm phases add) at /team or POST /api/submissions; uploads wait",
            "in --store. --workers K checks and scores them in the background, K at a time, with the",
            "limits of brainfm score (a capped child JVM per model); without workers, run brainfm",
            "score --pending elsewhere on the same records. The boards show a submission once it is",
            "scored. Stop it with Ctrl-C: a submission being scored is scored again on the next start.",
        },
        footer = {"", "Example:", "  brainfm serve",
            "  BRAINFM_ADMIN_TOKEN=$(openssl rand -hex 24) brainfm serve --port 8080 --host 0.0.0.0",
            "  brainfm serve --workers 2 --max-upload-mb 500",
            "", "The organiser's token must be at least 24 characters long."})
public final class ServeCommand implements Callable<Integer>, Subcommand {
    @Mixin
    DbOption db;

    @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every network).")
    String host;

    @Option(names = "--rank-resamples", defaultValue = "1000", paramLabel = "N",
            description = "Bootstrap resamples of the overall rank intervals (default: ${DEFAULT-VALUE}; 0: none).")
    int resamples;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "K",
            description = "Background workers that check and score uploaded entries (default: ${DEFAULT-VALUE}: none).")
    int workers;

    @Option(names = "--max-upload-mb", defaultValue = "200", paramLabel = "MB",
            description = "Largest upload taken, in MiB (default: ${DEFAULT-VALUE}); a larger one is refused (413) unread.")
    int maxUploadMb;

    @Mixin
    ScoringOption scoring;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65_535) {
            throw new BrainfmException("--port", port + " is not a TCP port (0-65535)");
        }
        if (resamples < 0) {
            throw new BrainfmException("--rank-resamples", "must not be negative, not " + resamples);
        }
        if (workers < 0 || workers > 64) {
            throw new BrainfmException("--workers", "must be between 0 and 64, not " + workers);
        }
        if (maxUploadMb < 1) {
            throw new BrainfmException("--max-upload-mb", "must be at least 1, not " + maxUploadMb);
        }
        String adminToken = AdminToken.validated(System.getenv(AdminToken.VARIABLE));
        if (!db.exists()) {
            throw new BrainfmException(Records.location(db.url()), "no records there yet; run brainfm first,"
                    + " or point --db at them");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // Ctrl-C: the hook lets call() close the site and the records before the JVM halts.
        Thread hook = new Thread(() -> {
            stopped.countDown();
            awaitQuietly(closed);
        }, "brainfm-serve-stop");
        boolean interrupted = false;
        try (Records records = db.open(spec.commandLine().getErr());
                Site site = new Site(records, adminToken, resamples, new Uploads(records, scoring.store(), maxUploadMb * 1024L * 1024));
                AutoCloseable queue = workers == 0 ? () -> { } : scoring.startWorkers(records, workers, spec.commandLine().getErr())) {
            start(site);
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("brainfm: serving " + records.location() + " at http://" + shown(host) + ":"
                    + site.app().port() + "/ (Ctrl-C stops)" + (workers == 0 ? "" : "; " + workers + " scoring worker"
                    + (workers == 1 ? "" : "s")));
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // stopped by the caller (tests, an embedding program): close first, then pass the interrupt on
                Runtime.getRuntime().removeShutdownHook(hook);
                interrupted = true;
            }
        } finally {
            closed.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    private void start(Site site) {
        try {
            site.app().start(host, port);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof java.net.BindException)) {
                cause = cause.getCause();
            }
            if (cause instanceof java.net.BindException) {
                throw new BrainfmException("--port", host + ":" + port + " cannot be used (" + cause.getMessage()
                        + "); pick another --port", e);
            }
            throw e;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String shown(String host) {
        return host.equals("0.0.0.0") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    }
}
