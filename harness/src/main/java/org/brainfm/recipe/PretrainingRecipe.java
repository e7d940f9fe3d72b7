package org.brainfm.recipe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.brainfm.model.card.ModelCard;
import org.brainfm.train.Augment;
import org.brainfm.train.TrainConfig;

/**
 * How a pretraining run trains, resolved once from a model card, a preset and the user's
 * overrides: the schedule and optimiser ({@link TrainConfig}) and how the objective draws and masks
 * its batches ({@link PretrainSettings}). It is the run's configuration in the records
 * ({@link #toConfig}) and its checkpoint's fingerprint, so a run can be traced and repeated.
 *
 * <p>At the {@code mini} preset the published recipes do not fit: a few hundred CPU steps need a
 * higher rate, smaller patches and shorter epochs (docs/pretrain.md).
 */
public record PretrainingRecipe(String card, String preset, String objective, TrainConfig training,
        PretrainSettings batches) {
    /** The objectives the harness implements; {@code amaes} is masked reconstruction with FOMO25's masks. */
    public static final String MAE = "mae";
    public static final String AMAES = "amaes";
    public static final String ANATOMY_SPLIT = "anatomy-split";
    public static final String CROSS_CONTRAST_SWAP = "cross-contrast-swap";
    public static final List<String> OBJECTIVES = List.of(MAE, AMAES, ANATOMY_SPLIT, CROSS_CONTRAST_SWAP);

    /** Patch edge at mini: small enough for a CPU step in about a second. */
    public static final int MINI_PATCH = 32;
    /** Epochs at mini. */
    public static final int MINI_EPOCHS = 10;
    /** Steps per mini epoch: about half a minute for the U-Net on two cores. */
    public static final int MINI_ITERATIONS = 48;
    /** Peak learning rate at mini for cards without a {@code mini_lr} (the U-Nets; docs/pretrain.md). */
    public static final double MINI_LR = 2e-3;

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Builder builder(ModelCard card, String preset) {
        return new Builder(card, preset);
    }

    /** The recipe as the run's configuration: flat, snake_case keys. */
    public ObjectNode toConfig() {
        ObjectNode o = JSON.createObjectNode();
        o.put("card", card);
        o.put("preset", preset);
        o.put("objective", objective);
        o.put("epochs", training.epochs());
        o.put("iterations_per_epoch", training.iterationsPerEpoch());
        o.put("batch", batches.batch());
        o.put("patch", batches.patch()[0]);
        o.put("mask_ratio", batches.maskLow() == batches.maskHigh() ? batches.maskLow() + ""
                : batches.maskLow() + "-" + batches.maskHigh());
        o.put("mask_unit", batches.maskUnit());
        o.put("lr", training.learningRate());
        o.put("min_lr", training.minLearningRate());
        o.put("weight_decay", training.weightDecay());
        o.put("warmup_epochs", training.warmupEpochs());
        o.put("grad_clip", training.gradientClip());
        o.put("seed", training.seed());
        o.set("loss_weights", JSON.valueToTree(batches.weights()));
        return o;
    }

    /** Builds a recipe; every {@code opt} left out takes the card's value, or the preset's default. */
    public static final class Builder {
        private final ModelCard card;
        private final String preset;
        private String objective;
        private Integer epochs;
        private Integer iterations;
        private Integer batch;
        private Integer patch;
        private Double learningRate;
        private long seed = 1;

        private Builder(ModelCard card, String preset) {
            this.card = card;
            this.preset = preset;
            card.preset(preset);
        }

        /** The objective (one of {@link #OBJECTIVES}); default the card's. */
        public Builder optObjective(String name) {
            this.objective = name;
            return this;
        }

        public Builder optEpochs(Integer value) {
            this.epochs = value;
            return this;
        }

        public Builder optIterations(Integer value) {
            this.iterations = value;
            return this;
        }

        public Builder optBatch(Integer value) {
            this.batch = value;
            return this;
        }

        /** The cubic patch's edge in voxels. */
        public Builder optPatch(Integer value) {
            this.patch = value;
            return this;
        }

        public Builder optLearningRate(Double value) {
            this.learningRate = value;
            return this;
        }

        /** The one seed every random choice of the run derives from (default 1). */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        public PretrainingRecipe build() {
            String name = objective != null ? objective : card.pretraining().objective();
            if (!OBJECTIVES.contains(name)) {
                throw new IllegalArgumentException("objective '" + name + "' is not implemented (have "
                        + String.join(", ", OBJECTIVES) + ")");
            }
            return new PretrainingRecipe(card.name(), preset, name, training(), batches(name));
        }

        private boolean mini() {
            return preset.equals("mini");
        }

        private TrainConfig training() {
            ModelCard.Pretraining r = card.pretraining();
            int cardEpochs = r.epochs() != null ? r.epochs() : 100;
            int e = epochs != null ? epochs : mini() ? MINI_EPOCHS : cardEpochs;
            int it = iterations != null ? iterations : mini() ? MINI_ITERATIONS
                    : r.iterationsPerEpoch() != null ? r.iterationsPerEpoch() : 250;
            int warmup = r.warmupEpochs() == null ? 0
                    : Math.min(e, Math.max(1, (int) Math.round((double) r.warmupEpochs() * e / cardEpochs)));
            boolean adamw = "adamw".equals(r.optimizer());
            // The mini networks see a few hundred steps in all: the full recipes' rates barely move them.
            double rate = learningRate != null ? learningRate
                    : mini() ? (r.miniLr() != null ? r.miniLr() : MINI_LR) : adamw && r.lr() != null ? r.lr() : 3e-4;
            double decay = adamw && r.weightDecay() != null ? r.weightDecay() : 1e-2;
            double clip = r.gradClip() != null ? r.gradClip() : 1.0;
            return new TrainConfig(e, it, rate, rate * 1e-2, decay, warmup, clip, seed);
        }

        /**
         * The card's batch, mask ratio and unit when the card's own objective is this one, else the
         * objective's published defaults (MAE 0.75 of 16^3, AMAES 0.6 of 4^3, cross-contrast 0.2-0.6
         * of 4^3). At mini the patch is {@link #MINI_PATCH}, the mask unit shrinks with the patch (to
         * a power of two, at least 4, for transformers too: token-sized cubes blank 48 of a mini
         * patch's 64 tokens, which a few hundred steps do not teach a ViT to fill), batch 2.
         */
        private PretrainSettings batches(String name) {
            ModelCard.Pretraining r = card.pretraining();
            boolean own = name.equals(r.objective());
            double low;
            double high;
            int unit;
            if (own && r.maskRatio() != null && !r.maskRatio().isEmpty() && r.maskUnit() != null) {
                low = r.maskRatio().get(0);
                high = r.maskRatio().get(r.maskRatio().size() - 1);
                unit = r.maskUnit();
            } else if (name.equals(CROSS_CONTRAST_SWAP)) {
                low = 0.2;
                high = 0.6;
                unit = 4;
            } else if (name.equals(AMAES)) {
                low = 0.6;
                high = 0.6;
                unit = 4;
            } else {
                low = 0.75;
                high = 0.75;
                unit = 16;
            }
            int fullPatch = r.patch() != null ? r.patch() : card.preset("full").patch()[0];
            int edge = patch != null ? patch : mini() ? MINI_PATCH : fullPatch;
            if (edge != fullPatch) {
                unit = Math.max(4, Integer.highestOneBit(Math.max(1, unit * edge / fullPatch)));
            }
            int b = batch != null ? batch : mini() ? 2 : r.batch() != null ? r.batch() : 2;
            Map<String, Double> weights = own && r.lossWeights() != null ? r.lossWeights() : Map.of();
            return new PretrainSettings(new int[] {edge, edge, edge}, b, low, high, Math.min(unit, edge), true, weights, 10,
                    Augment.defaults());
        }
    }
}
