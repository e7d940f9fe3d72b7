package org.brainfm.model.card;

import java.util.List;
import java.util.Map;

/**
 * A model card (one YAML file in {@code baselines/}): which architecture at which sizes, how
 * contrasts enter, how it is pretrained and finetuned, and where it comes from. Read and
 * validated by {@link ModelCards}; {@code source} is the file it was read from.
 *
 * @param family {@code cnn} or {@code transformer}
 * @param architecture {@code compact-unet}, {@code resenc-unet}, {@code vit} or {@code primus}
 * @param contrasts {@code stacked} (contrasts as input channels) or {@code shared} (one encoder,
 *     features averaged over contrasts)
 * @param referenceHead the model whose parameters the literature reports and {@code brainfm
 *     models} counts: {@code pretraining} (compact U-Net with its latent and decoder),
 *     {@code segmentation} (one input channel, two classes) or {@code encoder}
 * @param presets {@code full} and {@code mini}
 */
public record ModelCard(
        String source,
        String name,
        String family,
        String architecture,
        String citation,
        String contrasts,
        String referenceHead,
        Map<String, Preset> presets,
        Pretraining pretraining,
        Finetuning finetuning) {

    public static final List<String> PRESETS = List.of("full", "mini");

    /** Sizes of one preset; which fields apply depends on the architecture. */
    public record Preset(
            int[] patch,
            int[] widths,
            int[] blocks,
            Integer latent,
            Integer dim,
            Integer depth,
            Integer heads,
            Integer tokenPatch,
            Double mlpRatio,
            Long parameters) {}

    /**
     * The pretraining recipe; fields not used by an objective stay empty. {@code miniLr} is the
     * peak learning rate at the mini preset (its few hundred steps need another rate than the
     * published recipe's, and the families differ: a ViT diverges at a U-Net's).
     */
    public record Pretraining(
            String objective,
            String optimizer,
            Double lr,
            Double weightDecay,
            Double momentum,
            Integer epochs,
            Integer iterationsPerEpoch,
            Integer batch,
            Integer patch,
            Integer warmupEpochs,
            String schedule,
            String precision,
            Double gradClip,
            List<Double> maskRatio,
            Integer maskUnit,
            Map<String, Double> lossWeights,
            Double gpuHours,
            Double miniLr) {}

    /** The finetuning recipe. */
    public record Finetuning(
            String optimizer,
            Double lr,
            Double weightDecay,
            Integer epochs,
            Integer batch,
            Integer patch,
            Integer warmupEpochs,
            String schedule,
            Integer folds) {}

    public Preset preset(String preset) {
        Preset p = presets.get(preset);
        if (p == null) {
            throw new org.brainfm.BrainfmException(source + " presets", "no preset '" + preset + "' (have " + presets.keySet() + ")");
        }
        return p;
    }

    public boolean sharedContrasts() {
        return "shared".equals(contrasts);
    }

    ModelCard withSource(String file) {
        return new ModelCard(file, name, family, architecture, citation, contrasts, referenceHead, presets, pretraining, finetuning);
    }
}
