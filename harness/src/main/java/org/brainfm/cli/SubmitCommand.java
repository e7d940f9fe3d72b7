package org.brainfm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.data.Datasets;
import org.brainfm.finetune.ScoredData;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.PhaseRow;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.records.TeamRow;
import org.brainfm.submission.ArchiveLimits;
import org.brainfm.submission.BaselineExport;
import org.brainfm.challenge.Challenge;
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
            "  brainfm submit --baseline 7", "  brainfm submit entry.zip --phase sanity --team 'Team Alpha'"})
public final class SubmitCommand implements Callable<Integer> {
    /** Exit code of a submission refused for its content. */
    static final int INVALID_EXIT = 1;

    @Parameters(arity = "0..1", paramLabel = "DIR|ARCHIVE", description = "The entry: a folder, or a .zip or .tar.gz of one.")
    Path entry;

    @Option(names = "--baseline", paramLabel = "RUN", description = "Submit finetuning run RUN's models as a baseline entry.")
    Long baseline;

    @Option(names = "--phase", paramLabel = "PHASE",
            description = "Enter it in this challenge phase (with --team; the phase's rules apply: open, limit, requirement).")
    String phase;

    @Option(names = "--team", paramLabel = "TEAM", description = "The team it is entered for (brainfm teams list).")
    String team;

    @Mixin
    StoreOption store;

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
        if ((phase == null) != (team == null) || phase != null && baseline != null) {
            throw new BrainfmException("--phase/--team", "give both to enter an entry in a phase (and no --baseline)");
        }
        if ((entry == null) == (baseline == null)) {
            throw new BrainfmException("submit", "give an entry (DIR or ARCHIVE) or --baseline RUN, not " + (entry == null ? "neither" : "both"));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Records records = db.open(spec.commandLine().getErr())) {
            Datasets known = datasets.load();
            Intake intake = new Intake(records, store.folder(), known, cards.folder(), ArchiveLimits.defaults());
            Intake.Outcome outcome;
            if (baseline != null) {
                String task = records.runs().get(baseline).map(r -> r.taskId()).orElse(null);
                if (task != null) {
                    ScoredData.check(records, baseline, new TaskPlan(known, task));
                }
                Path folder = Files.createTempDirectory("brainfm-baseline-");
                try {
                    String card = BaselineExport.write(records, baseline, models.folder(), folder);
                    outcome = intake.submit(folder, new Intake.Baseline(card, baseline));
                } finally {
                    org.brainfm.submission.Intake.deleteFolder(folder);
                }
            } else if (phase != null) {
                PhaseRow p = PhasesCommand.phase(records, phase);
                TeamRow t = records.teams().byName(team).orElseThrow(() -> new BrainfmException("--team " + team,
                        "no such team in " + records.location() + " (brainfm teams list)"));
                Optional<Challenge.Refusal> refusal = Challenge.refusal(records, t, p, OffsetDateTime.now(ZoneOffset.UTC));
                if (refusal.isPresent()) {
                    records.audit().write(PhasesCommand.actor(), "upload refused", t.name() + " to " + p.name() + ": " + refusal.get().reason());
                    throw new BrainfmException("--phase " + phase, refusal.get().reason());
                }
                outcome = intake.upload(entry, new Intake.Upload(t, p, entry.getFileName().toString()));
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
