package org.brainfm.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.brainfm.BrainfmException;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.submission.EntryScoring;
import org.brainfm.submission.ScoringQueue;
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
            "Scores each valid submission (--pending: every one waiting, oldest first, after checking",
            "the uploads the site received; --submission N: that one, again if it was scored or",
            "failed) as one score run per task, with per-case and aggregate results and 95 %% CIs.",
            "Model entries run in a child JVM with a memory cap, one",
            "ONNX Runtime thread and time limits; encoder entries are finetuned with the task's fixed",
            "recipe first. Entries are independent: a broken one ends failed, with its reason, and the",
            "others go on. A submission whose worker died (killed, out of memory) is scored again once",
            "its lease (BRAINFM_RUN_LEASE, 300 s) runs out, and failed after 3 such tries.",
            "Exit code: 0 when every submission scored, 1 when one failed.",
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

    @Mixin
    ScoringOption scoringOption;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Checks.positive("--workers", (Integer) workers);
        try (Records records = db.open(err)) {
            ScoringQueue queue = scoringOption.queue(records, err);
            boolean[] failed = {false};
            int[] scored = {0};
            Consumer<EntryScoring.Scored> report = s -> {
                synchronized (out) {
                    scored[0]++;
                    failed[0] |= s.status() == SubmissionStatus.FAILED;
                    print(out, s);
                }
            };
            if (which.pending) {
                queue.drain(workers, report);
                if (scored[0] == 0) {
                    out.println("no submission to score");
                }
            } else {
                SubmissionRow row = records.submissions().get(which.submission).orElseThrow(() -> new BrainfmException(
                        "--submission " + which.submission, "no such submission in " + records.location()));
                if (row.status() == SubmissionStatus.INVALID || row.status() == SubmissionStatus.RECEIVED) {
                    throw new BrainfmException("--submission " + row.id(), "is " + row.status().id() + ": only a valid entry is scored"
                            + (row.reasons().isEmpty() ? "" : " (" + row.reasons().get(0) + ")"));
                }
                if (!records.submissions().claim(row.id(), List.of(SubmissionStatus.VALID, SubmissionStatus.SCORED,
                        SubmissionStatus.FAILED), records.lease())) {
                    throw new BrainfmException("--submission " + row.id(), "is being scored by another worker now");
                }
                queue.scoreClaimed(row.id(), report);
            }
            out.flush();
            return failed[0] ? 1 : 0;
        }
    }

    private static void print(PrintWriter out, EntryScoring.Scored s) {
        out.println("submission " + s.submissionId() + ": " + s.status().id() + (s.entryId() == null ? "" : " (entry " + s.entryId() + ")"));
        s.reasons().forEach(r -> out.println("  - " + r));
        for (var e : s.results().entrySet()) {
            out.println("  " + e.getKey() + ":");
            out.print(EvaluateCommand.table(e.getValue()).indent(4));
        }
        out.flush();
    }
}
