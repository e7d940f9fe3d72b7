package org.brainfm.protocol;

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
import org.brainfm.model.Devices;
import org.brainfm.model.Head;
import org.brainfm.model.ModelCard;
import org.brainfm.model.ModelCards;
import org.brainfm.model.ModelStore;
import org.brainfm.model.Models;
import org.brainfm.model.Network;
import org.brainfm.model.OnnxExport;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunSpec;

/**
 * Scoring a finetuned model on a task's test cases, as a {@code score} run of its board entry:
 * the stored parameters of every fold are loaded, exported to ONNX and run by ONNX Runtime
 * (the path every entry is scored through), or run on DJL's PyTorch engine when asked.
 */
public final class Scoring {
    public static final String ONNX_FILE = "model.onnx";

    /** Which engine runs the model at test time. */
    public enum Engine {
        ONNX,
        PYTORCH
    }

    /** What a scoring run left: its id and results, and the finetuning run it scored. */
    public record Outcome(long runId, long finetuneRun, Results results) {}

    private Scoring() {}

    /** Test-set results of ONNX models (one per fold, averaged). */
    static Results scoreWithOnnx(List<Path> onnxFiles, FinetunedModel model, Inference inference, TaskProtocol task,
            List<Case> test, Evaluation evaluation) {
        List<OnnxPatchModel> models = new ArrayList<>();
        try {
            for (Path f : onnxFiles) {
                models.add(new OnnxPatchModel(f, model.patch(), model.inputs().size(), model.outputs(), task.head().kind() == Head.Kind.SEGMENTATION));
            }
            return inference.score(models, test, task.metrics(), evaluation);
        } finally {
            models.forEach(OnnxPatchModel::close);
        }
    }

    /**
     * Re-scores finetuning run {@code runId}'s stored model on {@code task}'s test cases (of the
     * run's seed) and records it as a score run of the card's baseline entry.
     */
    public static Outcome evaluate(Records records, long runId, TaskProtocol task, Path modelsRoot, Engine engine, Device device,
            int resamples) {
        Path dir = PretrainedWeights.modelDir(records, runId, RunKind.FINETUNE, modelsRoot);
        FinetunedModel saved = FinetunedModel.read(dir);
        if (saved.type() != task.type() || !saved.inputs().equals(task.inputs())) {
            throw new BrainfmException("--task " + task.name(), "is a " + task.type().label() + " task on " + task.inputs()
                    + "; run " + runId + " finetuned a " + saved.type().label() + " model on " + saved.inputs());
        }
        Path cardFile = Path.of(saved.cardFile());
        if (!Files.isRegularFile(cardFile)) {
            throw new BrainfmException(cardFile.toString(), "the model card run " + runId + " was trained from is gone");
        }
        ModelCard card = ModelCards.read(cardFile);
        Catalog.register(records, task.datasets(), task.spec(), card);
        long entry = Catalog.baselineEntry(records, card, saved.preset(), saved.initRun() != null);
        ObjectNode config = Catalog.JSON.createObjectNode();
        config.put("finetune_run", runId);
        config.put("model_dir", dir.toString());
        config.put("engine", engine.name().toLowerCase(Locale.ROOT));
        config.put("resamples", resamples);
        RunSpec spec = RunSpec.score(entry, task.name()).withCard(card.name()).withInit(runId).withSeed(saved.seed()).withConfig(config);
        ActiveRun run = records.startRun(spec, Hardware.forRun(device.isGpu() && engine == Engine.PYTORCH));
        try {
            List<Case> test = task.split(saved.seed()).test();
            Inference inference = new Inference(saved.type(), saved.preprocessing(),
                    new SlidingWindow(saved.overlap(), SlidingWindow.DEFAULT_SIGMA_SCALE, SlidingWindow.DEFAULT_BATCH),
                    saved.targetMean(), saved.targetScale());
            Evaluation evaluation = new Evaluation(resamples, Bootstrap.DEFAULT_SEED);
            Results results = engine == Engine.ONNX
                    ? viaOnnx(card, saved, dir, inference, task, test, evaluation)
                    : viaPytorch(card, saved, dir, inference, task, test, evaluation, device);
            run.writeResults(task.name(), results.cases(), results.aggregates());
            run.finish(ModelStore.provenance(FinetunedModel.foldDir(dir, 0)).parameters());
            return new Outcome(run.id(), runId, results);
        } catch (RuntimeException | Error e) {
            run.fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), null);
            throw e;
        }
    }

    private static Results viaOnnx(ModelCard card, FinetunedModel saved, Path dir, Inference inference, TaskProtocol task,
            List<Case> test, Evaluation evaluation) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("brainfm-score");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<Path> files = new ArrayList<>();
            try (NDManager manager = Devices.manager(Device.cpu())) {
                for (int f = 0; f < saved.folds(); f++) {
                    Network network = load(card, saved, dir, f, manager);
                    Path file = tmp.resolve("fold-" + (f + 1) + ".onnx");
                    int[] p = saved.patch();
                    OnnxExport.write(network, new Shape(1, saved.inputs().size(), p[2], p[1], p[0]), "run " + saved.task(), file);
                    files.add(file);
                }
            }
            return scoreWithOnnx(files, saved, inference, task, test, evaluation);
        } finally {
            deleteTree(tmp);
        }
    }

    private static Results viaPytorch(ModelCard card, FinetunedModel saved, Path dir, Inference inference, TaskProtocol task,
            List<Case> test, Evaluation evaluation, Device device) {
        try (NDManager manager = Devices.manager(device)) {
            List<PatchModel> models = new ArrayList<>();
            for (int f = 0; f < saved.folds(); f++) {
                models.add(new DjlPatchModel(load(card, saved, dir, f, manager), manager, saved.patch(), saved.inputs().size(),
                        saved.outputs(), saved.type().labelIsImage()));
            }
            return inference.score(models, test, task.metrics(), evaluation);
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
