package org.brainfm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.submission.ArchiveLimits;
import org.brainfm.submission.BaselineExport;
import org.brainfm.submission.Intake;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brainfm submit}: takes an entry in, checks it and records the verdict. */
@Command(
        name = "submit",
        header = "Checks an entry and records it as a submission.",
        mixinStandardHelpOptions = true,
        description = {
            "Stores an entry (a folder, or a .zip / .tar.gz of one; submissions/README.md has the",
            "format) under the SHA-256 of its content, checks its manifest and every file it names",
            "against the tasks, and records the submission as valid, or invalid with every problem",
            "found. The same content submitted twice is the same submission. --baseline RUN submits",
            "one of our finetuning runs through the same door (its models as ONNX).",
            "Exit code: 0 valid, 1 invalid (the reasons are printed and recorded), 2 an error.",
        },
        footer = {"", "Example:", "  brainfm submit my-entry/", "  brainfm submit entry.zip",
            "  brainfm submit --baseline 7"})
public final class SubmitCommand implements Callable<Integer> {
    /** Exit code of a submission refused for its content. */
    static final int INVALID_EXIT = 1;

    @Parameters(arity = "0..1", paramLabel = "DIR|ARCHIVE", description = "The entry: a folder, or a .zip or .tar.gz of one.")
    Path entry;

    @Option(names = "--baseline", paramLabel = "RUN", description = "Submit finetuning run RUN's models as a baseline entry.")
    Long baseline;

    @Option(names = "--store", defaultValue = ".brainfm/submissions", paramLabel = "DIR",
            description = "Where entries are kept, one folder per SHA-256 (default: ${DEFAULT-VALUE}).")
    Path store;

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
    public Integer call() throws IOException {
        if ((entry == null) == (baseline == null)) {
            throw new BrainfmException("submit", "give an entry (DIR or ARCHIVE) or --baseline RUN, not " + (entry == null ? "neither" : "both"));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Records records = db.open(spec.commandLine().getErr())) {
            Intake intake = new Intake(records, store, datasets.load(), cards.folder(), ArchiveLimits.defaults());
            Intake.Outcome outcome;
            if (baseline != null) {
                Path folder = Files.createTempDirectory("brainfm-baseline-");
                try {
                    String card = BaselineExport.write(records, baseline, models.folder(), folder);
                    outcome = intake.submit(folder, new Intake.Baseline(card, baseline));
                } finally {
                    org.brainfm.submission.Intake.deleteFolder(folder);
                }
            } else {
                outcome = intake.submit(entry, null);
            }
            out.println("submission " + outcome.submissionId() + ": " + outcome.status().id()
                    + (outcome.duplicate() ? " (the same content was submitted before)" : ""));
            outcome.reasons().forEach(r -> out.println("  - " + r));
            out.flush();
            return outcome.status() == SubmissionStatus.INVALID ? INVALID_EXIT : 0;
        }
    }
}
