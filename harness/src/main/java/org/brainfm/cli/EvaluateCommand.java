package org.brainfm.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.data.Datasets;
import org.brainfm.metrics.Metric;
import org.brainfm.protocol.Results;
import org.brainfm.protocol.Scoring;
import org.brainfm.protocol.TaskProtocol;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.Records;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm evaluate}: re-scores a finetuning run's stored model on a task's test cases. */
@Command(
        name = "evaluate",
        header = "Scores a finetuned model through ONNX Runtime onto the board.",
        mixinStandardHelpOptions = true,
        description = {
            "Loads the model a finetuning run saved (every fold), exports it to ONNX and scores it",
            "on the task's test cases through ONNX Runtime (sliding windows, predictions on each",
            "input's grid), as every entry is scored. Records a score run of the card's baseline",
            "entry (the board shows the latest) with per-case and aggregate metrics and 95 %% CIs.",
        },
        footer = {"", "Example:", "  brainfm evaluate --run 7 --task meningioma",
            "  brainfm evaluate --run 7 --task meningioma --engine pytorch --device gpu"})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "RUN", description = "A finished finetuning run.")
    long run;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "A task of the datasets file, of the run's type and inputs.")
    String task;

    @Option(names = "--engine", defaultValue = "onnx", paramLabel = "onnx|pytorch",
            description = "Run the model with ONNX Runtime (CPU) or DJL's PyTorch engine (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--resamples", defaultValue = "1000", paramLabel = "N", description = "Bootstrap resamples of the CIs (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Mixin
    DatasetsOption datasets;

    @Option(names = "--models", defaultValue = ".brainfm/models", paramLabel = "DIR",
            description = "Where models are saved, for runs that do not name their folder (default: ${DEFAULT-VALUE}).")
    Path models;

    @Mixin
    DeviceOption device;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Scoring.Engine e = switch (engine) {
            case "onnx" -> Scoring.Engine.ONNX;
            case "pytorch" -> Scoring.Engine.PYTORCH;
            default -> throw new BrainfmException("--engine", "must be onnx or pytorch, not '" + engine + "'");
        };
        FinetuneCommand.positive("--resamples", resamples);
        TaskProtocol protocol = new TaskProtocol(datasets.load(), task);
        if (!db.exists()) {
            throw new BrainfmException("--run " + run, "no such run: " + Records.location(db.url()) + " does not exist");
        }
        try (Records records = db.open(spec.commandLine().getErr())) {
            Scoring.Outcome outcome = Scoring.evaluate(records, run, protocol, models, e,
                    e == Scoring.Engine.PYTORCH ? device.resolve() : Device.cpu(), resamples);
            out.println("score run " + outcome.runId() + ": finetune run " + run + " on " + task + " via "
                    + (e == Scoring.Engine.ONNX ? "ONNX Runtime" : "PyTorch"));
            out.print(table(outcome.results()));
        }
        out.flush();
        return 0;
    }

    /** The aggregates as a table: metric, value, 95 % CI, cases. */
    static String table(Results results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-18s %10s  %-22s %5s%n", "METRIC", "VALUE", "95% CI", "N"));
        for (AggregateScore a : results.aggregates()) {
            Metric m = Metric.byKey(a.metric());
            String ci = a.ciLow() == null ? "-" : "[" + m.format(a.ciLow()) + ", " + m.format(a.ciHigh()) + "]";
            s.append(String.format(Locale.ROOT, "%-18s %10s  %-22s %5d%n", m.label() + (m.unit().isEmpty() ? "" : " (" + m.unit() + ")"),
                    a.score() == null ? "undefined" : m.format(a.score()), ci, a.n()));
        }
        return s.toString();
    }
}
