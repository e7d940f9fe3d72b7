package org.brainfm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.brainfm.BrainfmException;
import org.brainfm.records.Records;
import org.brainfm.submission.ArchiveLimits;
import org.brainfm.submission.EntryScoring;
import org.brainfm.submission.Intake;
import org.brainfm.submission.ScoringLimits;
import org.brainfm.submission.ScoringQueue;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What scoring submissions needs, shared by {@code brainfm score} and {@code brainfm serve
 * --workers} (a picocli mixin): a model's JVM caps and time limits, the bootstrap resamples, where
 * the datasets, cards, finetuned models and stored entries are.
 */
public final class ScoringOption {
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
    StoreOption store;

    @Mixin
    ResamplesOption resamples;

    @Mixin
    DatasetsOption datasets;

    @Mixin
    CardsOption cards;

    @Mixin
    ModelsOption models;

    public Path store() {
        return store.folder();
    }

    /** The queue that checks received uploads and scores valid submissions into {@code records}. */
    public ScoringQueue queue(Records records, PrintWriter log) {
        ScoringLimits limits;
        try {
            limits = new ScoringLimits(heap, memory, caseSeconds, entrySeconds, 60);
        } catch (IllegalArgumentException e) {
            throw new BrainfmException("--heap/--memory/--case-seconds/--entry-seconds", e.getMessage());
        }
        var known = datasets.load();
        EntryScoring scoring = new EntryScoring(records, known, cards.folder(), models.folder(), limits, resamples.count(), log);
        Intake intake = new Intake(records, store.folder(), known, cards.folder(), ArchiveLimits.defaults());
        return new ScoringQueue(records, intake, scoring, Duration.ofSeconds(1), log);
    }

    /** Starts {@code k} background workers on the queue; closing them lets the ones scoring finish for a few seconds. */
    public AutoCloseable startWorkers(Records records, int k, PrintWriter log) {
        ScoringQueue queue = queue(records, log);
        queue.start(k);
        return queue;
    }
}
