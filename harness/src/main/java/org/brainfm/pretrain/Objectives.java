package org.brainfm.pretrain;

import java.util.List;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.model.ModelCard;
import org.brainfm.train.Augment;

/** The objectives by name, and their batch and mask settings from a model card. */
public final class Objectives {
    /** Names the harness implements; {@code amaes} is masked reconstruction with FOMO25's AMAES masks. */
    public static final List<String> NAMES = List.of(MaskedReconstruction.NAME, "amaes", AnatomySplit.NAME, CrossContrastSwap.NAME);
    /** Patch edge of the mini presets: small enough for a CPU step in about a second. */
    public static final int MINI_PATCH = 32;

    private Objectives() {}

    public static Objective create(String name, ModelCard card, String preset, Corpus corpus, PretrainSettings settings) {
        return switch (name) {
            case MaskedReconstruction.NAME, "amaes" -> new MaskedReconstruction(card, preset, corpus, settings);
            case AnatomySplit.NAME -> new AnatomySplit(card, preset, corpus, settings);
            case CrossContrastSwap.NAME -> new CrossContrastSwap(card, preset, corpus, settings);
            default -> throw new BrainfmException("--objective", "'" + name + "' is not implemented (have " + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * Settings for {@code objective} on {@code card} at {@code preset}: the card's batch, mask
     * ratio and unit when the card's own objective is this one, else the objective's published
     * defaults (MAE 0.75 of 16^3, AMAES 0.6 of 4^3, cross-contrast 0.2-0.6 of 4^3). At the mini
     * preset the patch is {@link #MINI_PATCH} and the mask unit shrinks with the patch (to a
     * power of two, at least 4, for transformers too: token-sized
     * cubes blank 48 of a mini patch's 64 tokens, which a few hundred steps do not teach a ViT to fill), batch 2.
     *
     * @param patch null for the default
     * @param batch null for the default
     */
    public static PretrainSettings settings(String objective, ModelCard card, String preset, Integer patch, Integer batch) {
        ModelCard.Pretraining recipe = card.pretraining();
        boolean own = objective.equals(recipe.objective());
        double low;
        double high;
        int unit;
        if (own && recipe.maskRatio() != null && !recipe.maskRatio().isEmpty() && recipe.maskUnit() != null) {
            low = recipe.maskRatio().get(0);
            high = recipe.maskRatio().get(recipe.maskRatio().size() - 1);
            unit = recipe.maskUnit();
        } else if (objective.equals(CrossContrastSwap.NAME)) {
            low = 0.2;
            high = 0.6;
            unit = 4;
        } else if (objective.equals("amaes")) {
            low = 0.6;
            high = 0.6;
            unit = 4;
        } else {
            low = 0.75;
            high = 0.75;
            unit = 16;
        }
        boolean mini = preset.equals("mini");
        int fullPatch = recipe.patch() != null ? recipe.patch() : card.preset("full").patch()[0];
        int edge = patch != null ? patch : mini ? MINI_PATCH : fullPatch;
        if (edge != fullPatch) {
            unit = Math.max(4, Integer.highestOneBit(Math.max(1, unit * edge / fullPatch)));
        }
        int b = batch != null ? batch : mini ? 2 : recipe.batch() != null ? recipe.batch() : 2;
        Map<String, Double> weights = own && recipe.lossWeights() != null ? recipe.lossWeights() : Map.of();
        return new PretrainSettings(new int[] {edge, edge, edge}, b, low, high, Math.min(unit, edge), true, weights, 10, Augment.defaults());
    }
}
