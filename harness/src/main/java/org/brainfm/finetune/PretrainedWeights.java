package org.brainfm.finetune;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.brainfm.BrainfmException;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.arch.UNetPretraining;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.model.store.ModelStore;
import org.brainfm.model.store.Provenance;
import org.brainfm.records.Records;
import org.brainfm.records.RunKind;
import org.brainfm.records.RunRow;
import org.brainfm.records.RunStatus;
import org.brainfm.score.Registry;

/**
 * The weights a pretraining run saved (with {@link ModelStore}), as the start of a finetuning
 * run: the encoder is copied into the finetuning network, the head starts fresh.
 *
 * @param runId the pretraining run
 * @param dir   its model folder
 */
public record PretrainedWeights(Long runId, Path dir) implements EncoderStart {
    /** The key of a run's config that names its model folder. */
    public static final String MODEL_DIR = "model_dir";

    /** The key under which {@code brainfm pretrain} names its output folder. */
    public static final String OUT = "out";
    /** The key of a run's config that names the folder holding {@code run-<id>} folders. */
    public static final String MODELS = "models";
    /** The sub-folder where a pretraining run saves its encoder alone. */
    public static final String ENCODER = "encoder";

    /**
     * Finds a finished run's saved model: the folder its config names under {@value #MODEL_DIR}
     * or {@value #OUT}, else {@code run-<id>} in the folder its config names under
     * {@value #MODELS}, else {@code modelsRoot/run-<id>}.
     */
    public static Path modelDir(Records records, long runId, RunKind kind, Path modelsRoot) {
        RunRow run = records.runs().get(runId).orElseThrow(() -> new BrainfmException("--run " + runId,
                "no such run in " + records.location()));
        if (run.kind() != kind) {
            throw new BrainfmException("run " + runId, "is a " + run.kind().name().toLowerCase(Locale.ROOT) + " run, not a "
                    + kind.name().toLowerCase(Locale.ROOT) + " run");
        }
        if (run.status() != RunStatus.DONE) {
            throw new BrainfmException("run " + runId, "is " + run.status().name().toLowerCase(Locale.ROOT)
                    + ", not done: it saved no final model");
        }
        Path dir = modelsRoot.resolve("run-" + runId);
        try {
            JsonNode config = Registry.JSON.readTree(run.config());
            if (config.hasNonNull(MODEL_DIR)) {
                dir = Path.of(config.get(MODEL_DIR).asText());
            } else if (config.hasNonNull(OUT)) {
                dir = Path.of(config.get(OUT).asText());
            } else if (config.hasNonNull(MODELS)) {
                dir = Path.of(config.get(MODELS).asText()).resolve("run-" + runId);
            }
        } catch (IOException e) {
            throw new BrainfmException("run " + runId, "has a config that is not JSON: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dir)) {
            throw new BrainfmException(dir.toString(), "does not exist: run " + runId + "'s saved model is gone");
        }
        return dir;
    }

    @Override
    public String describe() {
        return "run " + runId;
    }

    public static PretrainedWeights of(Records records, long runId, Path modelsRoot) {
        return new PretrainedWeights(runId, modelDir(records, runId, RunKind.PRETRAIN, modelsRoot));
    }

    /**
     * Copies the pretrained encoder's parameters into {@code target}'s encoder: from the
     * {@value #ENCODER} folder a pretraining run saves, else from its whole saved model (the
     * compact U-Net's pretraining model, or a network with a head). Card and preset must match.
     */
    @Override
    public void copyEncoderInto(Network target, ModelCard card, String preset, NDManager manager) {
        Path encoderDir = dir.resolve(ENCODER);
        Path from = Files.isRegularFile(encoderDir.resolve(ModelStore.PROVENANCE)) ? encoderDir : dir;
        if (!Files.isRegularFile(from.resolve(ModelStore.PROVENANCE))) {
            throw new BrainfmException(dir.toString(), "holds no " + ModelStore.PROVENANCE + ": not a saved model");
        }
        Provenance p = ModelStore.provenance(from);
        if (!card.name().equals(p.card()) || !preset.equals(p.preset())) {
            throw new BrainfmException("--init " + runId, "was pretrained as " + p.card() + " (" + p.preset()
                    + "), not " + card.name() + " (" + preset + ")");
        }
        Block source;
        Block encoder;
        if (from == encoderDir || p.head().equals("encoder")) {
            encoder = Models.encoder(card, preset, p.inChannels());
            source = encoder;
        } else if (p.head().startsWith("pretraining")) {
            UNetPretraining m = Models.pretraining(card, preset);
            source = m;
            encoder = m.encoder();
        } else {
            Network m = Models.build(card, preset, new Head(Head.Kind.valueOf(p.head().toUpperCase(Locale.ROOT)), p.outputs()),
                    p.inChannels());
            source = m;
            encoder = m.encoder();
        }
        source.initialize(manager, DataType.FLOAT32, Models.inputShape(card, preset, p.inChannels()));
        ModelStore.load(source, manager, from);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            encoder.saveParameters(new DataOutputStream(bytes));
            target.encoder().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            // loading replaces the arrays; the new ones must take gradients again
            for (var parameter : target.encoder().getParameters()) {
                if (parameter.getValue().requiresGradient()) {
                    parameter.getValue().getArray().setRequiresGradient(true);
                }
            }
        } catch (IOException | MalformedModelException | IllegalArgumentException e) {
            throw new BrainfmException("--init " + runId, "its encoder does not fit the finetuning network (pretrained with "
                    + p.inChannels() + " input channels, head " + p.head() + "): " + e.getMessage(), e);
        }
    }
}
