package org.brainfm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.brainfm.BrainfmException;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.submission.EntryScoring;
import org.brainfm.submission.ScoringLimits;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm score}: scores valid submissions onto the board. */
@Command(
        name = "score",
        header = "Scores valid submissions onto the board.",
        mixinStandardHelpOptions = true,
        description = {
            "Scores each valid submission (--pending: every one not scored yet; --submission N: that",
            "one, again if it was scored or failed) as one score run per task, with per-case and",
            "aggregate results and 95 %% CIs. Model entries run in a child JVM with a memory cap, one",
            "ONNX Runtime thread and time limits; encoder entries are finetuned with the task's fixed",
            "recipe first. Entries are independent: a broken one ends failed, with its reason, and the",
            "others go on. Exit code: 0 when every submission scored, 1 when one failed.",
        },
        footer = {"", "Example:", "  brainfm score --pending", "  brainfm score --submission 4 --case-seconds 300"})
public final class ScoreCommand implements Callable<Integer> {
    static class Which {
        @Option(names = "--submission", paramLabel = "N", description = "Score submission N.")
        Long submission;

        @Option(names = "--pending", description = "Score every valid submission not scored yet.")
        boolean pending;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "K", description = "Submissions scored at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--heap", defaultValue = "4096", paramLabel = "MB", description = "Heap of a model's JVM (default: ${DEFAULT-VALUE}).")
    int heap;

    @Option(names = "--memory", defaultValue = "12288", paramLabel = "MB",
            description = "Address space of a model's JVM in all, heap included (default: ${DEFAULT-VALUE}).")
    int memory;

    @Option(names = "--case-seconds", defaultValue = "120", paramLabel = "S", description = "Wall limit per case (default: ${DEFAULT-VALUE}).")
    int caseSeconds;

    @Option(names = "--entry-seconds", defaultValue = "1800", paramLabel = "S",
            description = "Wall limit per entry and task (default: ${DEFAULT-VALUE}).")
    int entrySeconds;

    @Mixin
    ResamplesOption resamples;

    @Mixin
    DatasetsOption datasets;

    @Mixin
    CardsOption cards;

    @Mixin
    ModelsOption models;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Checks.positive("--workers", (Integer) workers);
        ScoringLimits limits;
        try {
            limits = new ScoringLimits(heap, memory, caseSeconds, entrySeconds, 60);
        } catch (IllegalArgumentException e) {
            throw new BrainfmException("--heap/--memory/--case-seconds/--entry-seconds", e.getMessage());
        }
        try (Records records = db.open(err)) {
            List<Long> ids = new ArrayList<>();
            List<SubmissionStatus> from;
            if (which.pending) {
                records.submissions().withStatus(SubmissionStatus.VALID).forEach(s -> ids.add(s.id()));
                from = List.of(SubmissionStatus.VALID);
            } else {
                SubmissionRow row = records.submissions().get(which.submission).orElseThrow(() -> new BrainfmException(
                        "--submission " + which.submission, "no such submission in " + records.location()));
                if (row.status() == SubmissionStatus.INVALID || row.status() == SubmissionStatus.RECEIVED) {
                    throw new BrainfmException("--submission " + row.id(), "is " + row.status().id() + ": only a valid entry is scored"
                            + (row.reasons().isEmpty() ? "" : " (" + row.reasons().get(0) + ")"));
                }
                ids.add(row.id());
                from = List.of(SubmissionStatus.VALID, SubmissionStatus.SCORED, SubmissionStatus.FAILED);
            }
            if (ids.isEmpty()) {
                out.println("no submission to score");
                out.flush();
                return 0;
            }
            EntryScoring scoring = new EntryScoring(records, datasets.load(), cards.folder(), models.folder(), limits, resamples.count(), err);
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, ids.size()));
            List<Future<EntryScoring.Scored>> futures = new ArrayList<>();
            for (long id : ids) {
                futures.add(pool.submit(() -> records.submissions().claim(id, from) ? scoring.score(id) : null));
            }
            pool.shutdown();
            boolean failed = false;
            for (Future<EntryScoring.Scored> f : futures) {
                EntryScoring.Scored s;
                try {
                    s = f.get();
                } catch (ExecutionException e) {
                    throw new BrainfmException("score", "scoring stopped: " + e.getCause().getMessage(), e.getCause());
                }
                if (s == null) {
                    continue;   // another worker took it
                }
                failed |= s.status() == SubmissionStatus.FAILED;
                out.println("submission " + s.submissionId() + ": " + s.status().id()
                        + (s.entryId() == null ? "" : " (entry " + s.entryId() + ")"));
                s.reasons().forEach(r -> out.println("  - " + r));
                for (var e : s.results().entrySet()) {
                    out.println("  " + e.getKey() + ":");
                    out.print(EvaluateCommand.table(e.getValue()).indent(4));
                }
            }
            out.flush();
            return failed ? 1 : 0;
        }
    }
}
