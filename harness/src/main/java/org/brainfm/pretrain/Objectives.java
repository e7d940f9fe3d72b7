package org.brainfm.pretrain;

import org.brainfm.BrainfmException;
import org.brainfm.model.card.ModelCard;
import org.brainfm.recipe.PretrainSettings;
import org.brainfm.recipe.PretrainingRecipe;

/** The objectives by name. */
public final class Objectives {
    private Objectives() {}

    /** The objective {@code recipe} names, pretraining {@code card}'s network at the recipe's preset on {@code corpus}. */
    public static Objective create(PretrainingRecipe recipe, ModelCard card, Corpus corpus) {
        String preset = recipe.preset();
        PretrainSettings settings = recipe.batches();
        return switch (recipe.objective()) {
            case PretrainingRecipe.MAE, PretrainingRecipe.AMAES -> new MaskedReconstruction(card, preset, corpus, settings);
            case AnatomySplit.NAME -> new AnatomySplit(card, preset, corpus, settings);
            case CrossContrastSwap.NAME -> new CrossContrastSwap(card, preset, corpus, settings);
            default -> throw new BrainfmException("--objective", "'" + recipe.objective() + "' is not implemented (have " + String.join(", ", PretrainingRecipe.OBJECTIVES) + ")");
        };
    }
}
