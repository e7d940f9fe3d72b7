package org.brainfm.finetune;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.brainfm.BrainfmException;
import org.brainfm.metrics.TaskType;
import org.brainfm.plan.Preprocessing;
import org.brainfm.score.Registry;

/**
 * What a finetuning run leaves beside its weights ({@code finetuned.json} in its model folder,
 * one {@code fold-N} folder of parameters per fold): everything inference needs to
 * reproduce the run's predictions.
 *
 * @param cardFile    the model card it was built from
 * @param targetMean  regression targets were standardised with this mean and {@code targetScale}
 * @param spacing     preprocessing's target spacing, null to keep the input's
 * @param initRun     the pretraining run it started from, null from scratch
 * @param protocol    whose recipe trained it (recipe.Protocol's label); null in models saved before protocols
 */
public record FinetunedModel(String card, String cardFile, String preset, String task, TaskType type, List<String> inputs,
        int outputs, int[] patch, int folds, long seed, Long initRun, double targetMean, double targetScale, int margin,
        double[] spacing, double overlap, String protocol) {
    public static final String FILE = "finetuned.json";

    public static Path foldDir(Path modelDir, int fold) {
        return modelDir.resolve("fold-" + (fold + 1));
    }

    public void write(Path modelDir) {
        try {
            Files.createDirectories(modelDir);
            Registry.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(modelDir.resolve(FILE).toFile(), this);
        } catch (IOException e) {
            throw new BrainfmException(modelDir.toString(), "cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    public static FinetunedModel read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new BrainfmException(file.toString(), "does not exist: the finetuned model's folder is gone or incomplete");
        }
        try {
            return Registry.JSON.readValue(file.toFile(), FinetunedModel.class);
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    public Preprocessing preprocessing() {
        return new Preprocessing(margin, spacing);
    }
}
