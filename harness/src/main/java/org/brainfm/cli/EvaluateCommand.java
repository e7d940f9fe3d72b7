package org.brainfm.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.finetune.Rescoring;
import org.brainfm.metrics.Metric;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.Records;
import org.brainfm.score.ResultSet;
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

    @Mixin
    ResamplesOption resamples;

    @Mixin
    DatasetsOption datasets;

    @Mixin
    ModelsOption models;

    @Mixin
    DeviceOption device;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Rescoring.Engine e = switch (engine) {
            case "onnx" -> Rescoring.Engine.ONNX;
            case "pytorch" -> Rescoring.Engine.PYTORCH;
            default -> throw new BrainfmException("--engine", "must be onnx or pytorch, not '" + engine + "'");
        };
        TaskPlan plan = new TaskPlan(datasets.load(), task);
        if (!db.exists()) {
            throw new BrainfmException("--run " + run, "no such run: " + Records.location(db.url()) + " does not exist");
        }
        try (Records records = db.open(spec.commandLine().getErr())) {
            Rescoring.Outcome outcome = Rescoring.evaluate(records, run, plan, models.folder(), e,
                    e == Rescoring.Engine.PYTORCH ? device.resolve() : Device.cpu(), resamples.count());
            out.println("score run " + outcome.runId() + ": finetune run " + run + " on " + task + " via "
                    + (e == Rescoring.Engine.ONNX ? "ONNX Runtime" : "PyTorch"));
            out.print(table(outcome.results()));
        }
        out.flush();
        return 0;
    }

    /** The aggregates as a table: metric, value, 95 % CI, cases. */
    static String table(ResultSet results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-18s %10s  %-22s %5s%n", "METRIC", "VALUE", "95% CI", "N"));
        for (AggregateScore a : results.aggregates()) {
            Metric m = Metric.ofStored(a.metric());
            String ci = a.ciLow() == null ? "-" : "[" + m.format(a.ciLow()) + ", " + m.format(a.ciHigh()) + "]";
            s.append(String.format(Locale.ROOT, "%-18s %10s  %-22s %5d%n", Metric.labelOf(a.metric()) + (m.unit().isEmpty() ? "" : " (" + m.unit() + ")"),
                    a.score() == null ? "undefined" : m.format(a.score()), ci, a.n()));
        }
        return s.toString();
    }
}
