package org.brainfm.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Hardware;
import org.brainfm.data.Case;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.TaskType;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.card.Models;
import org.brainfm.model.onnx.OnnxExport;
import org.brainfm.model.onnx.OnnxGraph;
import org.brainfm.model.onnx.OnnxWritable;
import org.brainfm.model.store.ModelStore;
import org.brainfm.plan.TaskPlan;
import org.brainfm.predict.CasePredictor;
import org.brainfm.predict.DjlPatchModel;
import org.brainfm.predict.OnnxPatchModel;
import org.brainfm.predict.PatchModel;
import org.brainfm.predict.SlidingWindow;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.score.Registry;
import org.brainfm.score.ResultSet;
import org.brainfm.score.Scorer;
import org.brainfm.tensor.Devices;

/**
 * Scoring a finetuned model on a task's test cases, as a {@code score} run of its board entry:
 * the stored parameters of every fold are loaded, exported to ONNX and run by ONNX Runtime
 * (the path every entry is scored through), or run on DJL's PyTorch engine when asked.
 */
public final class Rescoring {
    public static final String ONNX_FILE = "model.onnx";

    /** Which engine runs the model at test time. */
    public enum Engine {
        ONNX,
        PYTORCH
    }

    /** What a scoring run left: its id and results, and the finetuning run it scored. */
    public record Outcome(long runId, long finetuneRun, ResultSet results) {}

    private Rescoring() {}

    /** Test-set results of ONNX models (one per fold, averaged). */
    static ResultSet scoreWithOnnx(List<Path> onnxFiles, FinetunedModel model, CasePredictor predictor, TaskPlan task,
            List<Case> test, Scorer scorer) {
        List<OnnxPatchModel> models = new ArrayList<>();
        try {
            for (Path f : onnxFiles) {
                models.add(new OnnxPatchModel(f, model.patch(), model.inputs().size(), model.outputs(), task.head().kind() == Head.Kind.SEGMENTATION));
            }
            return scorer.score(predictor, models, task, test);
        } finally {
            models.forEach(OnnxPatchModel::close);
        }
    }

    /**
     * Re-scores finetuning run {@code runId}'s stored model on {@code task}'s test cases (of the
     * run's seed) and records it as a score run of the card's baseline entry.
     */
    public static Outcome evaluate(Records records, long runId, TaskPlan task, Path modelsRoot, Engine engine, Device device,
            int resamples) {
        Path dir = PretrainedWeights.modelDir(records, runId, RunKind.FINETUNE, modelsRoot);
        FinetunedModel saved = FinetunedModel.read(dir);
        ScoredData.check(records, runId, task);
        if (saved.type() != task.type() || !saved.inputs().equals(task.inputs())) {
            throw new BrainfmException("--task " + task.name(), "is a " + task.type().label() + " task on " + task.inputs()
                    + "; run " + runId + " finetuned a " + saved.type().label() + " model on " + saved.inputs());
        }
        Path cardFile = Path.of(saved.cardFile());
        if (!Files.isRegularFile(cardFile)) {
            throw new BrainfmException(cardFile.toString(), "the model card run " + runId + " was trained from is gone");
        }
        ModelCard card = ModelCards.read(cardFile);
        Registry.register(records, task.datasets(), task.spec(), card);
        long entry = Registry.baselineEntry(records, card, saved.preset(), saved.initRun() != null, saved.protocol());
        ObjectNode config = Registry.JSON.createObjectNode();
        config.put("finetune_run", runId);
        config.put("model_dir", dir.toString());
        config.put("engine", engine.name().toLowerCase(Locale.ROOT));
        config.put("resamples", resamples);
        NewRun spec = NewRun.score(entry, task.name()).withCard(card.name()).withInit(runId).withSeed(saved.seed()).withConfig(config);
        ActiveRun run = records.runs().start(spec, Hardware.forRun(device.isGpu() && engine == Engine.PYTORCH));
        try {
            List<Case> test = task.split(saved.seed()).test();
            CasePredictor predictor = new CasePredictor(saved.type(), saved.preprocessing(),
                    SlidingWindow.withOverlap(saved.overlap()),
                    saved.targetMean(), saved.targetScale());
            Scorer scorer = new Scorer(resamples, Bootstrap.DEFAULT_SEED);
            ResultSet results = engine == Engine.ONNX
                    ? viaOnnx(card, saved, dir, predictor, task, test, scorer)
                    : viaPytorch(card, saved, dir, predictor, task, test, scorer, device);
            run.writeResults(task.name(), results.cases(), results.aggregates());
            run.finish(ModelStore.provenance(FinetunedModel.foldDir(dir, 0)).parameters());
            return new Outcome(run.id(), runId, results);
        } catch (RuntimeException | Error e) {
            run.fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), null);
            throw e;
        }
    }

    private static ResultSet viaOnnx(ModelCard card, FinetunedModel saved, Path dir, CasePredictor predictor, TaskPlan task,
            List<Case> test, Scorer scorer) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("brainfm-score");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return scoreWithOnnx(exportOnnx(card, saved, dir, tmp, false), saved, predictor, task, test, scorer);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Writes each fold's network as {@code out/fold-N.onnx}. With {@code inTaskUnits}, a regression
     * model's output is turned back into the task's unit (years) inside the graph, as an entry's
     * model must give it (submissions/README.md); otherwise it stays standardised, as trained.
     */
    public static List<Path> exportOnnx(ModelCard card, FinetunedModel saved, Path dir, Path out, boolean inTaskUnits) {
        List<Path> files = new ArrayList<>();
        int[] p = saved.patch();
        Shape input = new Shape(1, saved.inputs().size(), p[2], p[1], p[0]);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            for (int f = 0; f < saved.folds(); f++) {
                Network network = load(card, saved, dir, f, manager);
                Path file = out.resolve("fold-" + (f + 1) + ".onnx");
                OnnxWritable model = inTaskUnits && saved.type() == TaskType.REGRESSION
                        ? rescaled(network, saved.targetScale(), saved.targetMean()) : network;
                OnnxExport.write(model, input, card.name() + " " + saved.preset() + " finetuned on " + saved.task()
                        + ", fold " + (f + 1), file);
                files.add(file);
            }
        }
        return files;
    }

    /** {@code network}'s first output times {@code scale} plus {@code shift}, in the ONNX graph. */
    private static OnnxWritable rescaled(Network network, double scale, double shift) {
        return new OnnxWritable() {
            @Override
            public List<String> outputNames() {
                return network.outputNames();
            }

            @Override
            public List<String> exportOnnx(OnnxGraph graph, String x) {
                List<String> outputs = new ArrayList<>(network.exportOnnx(graph, x));
                String y = outputs.get(0);
                Shape shape = graph.shape(y);
                String scaled = graph.binary("Mul", y, graph.constant(new float[] {(float) scale}));
                String years = graph.binary("Add", scaled, graph.constant(new float[] {(float) shift}));
                graph.shape(years, shape);
                outputs.set(0, years);
                return outputs;
            }
        };
    }

    private static ResultSet viaPytorch(ModelCard card, FinetunedModel saved, Path dir, CasePredictor predictor, TaskPlan task,
            List<Case> test, Scorer scorer, Device device) {
        try (NDManager manager = Devices.manager(device)) {
            List<PatchModel> models = new ArrayList<>();
            for (int f = 0; f < saved.folds(); f++) {
                models.add(new DjlPatchModel(load(card, saved, dir, f, manager), manager, saved.patch(), saved.inputs().size(),
                        saved.outputs(), saved.type().labelIsImage()));
            }
            return scorer.score(predictor, models, task, test);
        }
    }

    /** A fold's network with its stored parameters. */
    static Network load(ModelCard card, FinetunedModel saved, Path dir, int fold, NDManager manager) {
        Head head = switch (saved.type()) {
            case SEGMENTATION -> Head.segmentation(saved.outputs());
            case CLASSIFICATION -> Head.classification(saved.outputs());
            case REGRESSION -> Head.regression(saved.outputs());
        };
        Network network = Models.build(card, saved.preset(), head, saved.inputs().size());
        int[] p = saved.patch();
        network.initialize(manager, DataType.FLOAT32, new Shape(1, saved.inputs().size(), p[2], p[1], p[0]));
        Path foldDir = FinetunedModel.foldDir(dir, fold);
        if (!Files.isRegularFile(foldDir.resolve(ModelStore.PARAMETERS))) {
            throw new BrainfmException(foldDir.toString(), "holds no " + ModelStore.PARAMETERS + ": the model of fold " + (fold + 1) + " is gone");
        }
        ModelStore.load(network, manager, foldDir);
        return network;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
