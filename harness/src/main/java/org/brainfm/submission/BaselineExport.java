package org.brainfm.submission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.brainfm.BrainfmException;
import org.brainfm.finetune.FinetunedModel;
import org.brainfm.finetune.PretrainedWeights;
import org.brainfm.finetune.Rescoring;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.store.ModelStore;
import org.brainfm.records.RunKind;
import org.brainfm.records.Records;
import org.brainfm.score.Registry;

/**
 * Our baselines go through the same door as everyone: a finetuning run's saved models become a
 * {@code model} entry (one ONNX file per fold, regression outputs in years, the run's input spec)
 * under the baselines' team, so that the board ranks them with exactly the code that ranks a team's.
 */
public final class BaselineExport {
    private static final YAMLMapper YAML = new YAMLMapper();

    private BaselineExport() {}

    /** Writes finetuning run {@code runId}'s models as an entry into the empty folder {@code out}; returns the card's name. */
    public static String write(Records records, long runId, Path models, Path out) {
        Path dir = PretrainedWeights.modelDir(records, runId, RunKind.FINETUNE, models);
        FinetunedModel saved = FinetunedModel.read(dir);
        Path cardFile = Path.of(saved.cardFile());
        if (!Files.isRegularFile(cardFile)) {
            throw new BrainfmException(cardFile.toString(), "the model card run " + runId + " was trained from is gone");
        }
        ModelCard card = ModelCards.read(cardFile);
        try {
            Path task = Files.createDirectories(out.resolve(saved.task()));
            List<Path> onnx = Rescoring.exportOnnx(card, saved, dir, task, true);
            ObjectNode m = YAML.createObjectNode();
            m.put("team", Registry.BASELINE_TEAM);
            m.put("entry", Registry.baselineName(card, saved.preset(), saved.initRun() != null, saved.protocol()));
            m.put("contact", "the organisers");
            m.put("family", card.family().toLowerCase(Locale.ROOT));
            m.put("parameters", ModelStore.provenance(FinetunedModel.foldDir(dir, 0)).parameters());
            if (card.pretraining().gpuHours() != null) {
                m.put("gpu_hours", card.pretraining().gpuHours());
            }
            m.put("description", "brainfm baseline: " + card.name() + " (" + saved.preset() + ") finetuned on " + saved.task()
                    + " by run " + runId + (saved.initRun() == null ? " from scratch" : " from pretraining run " + saved.initRun())
                    + (card.citation() == null ? "" : "; " + card.citation()));
            m.put("kind", "model");
            ObjectNode files = m.putObject("tasks").putObject(saved.task());
            ArrayNode list = files.putArray("model");
            onnx.forEach(f -> list.add(out.relativize(f).toString()));
            ArrayNode inputs = files.putArray("inputs");
            saved.inputs().forEach(inputs::add);
            ArrayNode patch = files.putArray("patch");
            for (int p : saved.patch()) {
                patch.add(p);
            }
            if (saved.spacing() != null) {
                ArrayNode spacing = files.putArray("spacing");
                for (double s : saved.spacing()) {
                    spacing.add(s);
                }
            }
            files.put("normalisation", "zscore");
            YAML.writeValue(out.resolve(Manifests.FILE).toFile(), m);
        } catch (IOException e) {
            throw new BrainfmException(out.toString(), "cannot write the baseline's entry: " + e.getMessage(), e);
        }
        return card.name();
    }
}
