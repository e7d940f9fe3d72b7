package org.brainfm.recipe;

import java.util.Locale;

/**
 * Whose finetuning recipe a run follows, as the two MICCAI 2025 challenges had it
 * (../shared/REFERENCE.md, "Downstream tasks"):
 * <ul>
 *   <li>{@link #FOMO25}: each team finetuned its own way, so the card's own finetuning section;
 *   <li>{@link #SSL3D}: the organisers finetuned every submitted encoder with one fixed recipe per
 *       task type (segmentation: nnU-Net's pretrained trainer, 150 epochs, 15 of warmup, learning
 *       rate 1e-3 for CNNs and 1e-4 for transformers; classification and regression: AdamW at 1e-4,
 *       weight decay 1e-2, 200 epochs, 3-fold cross-validation; MIC-DKFZ/nnssl documentation).
 * </ul>
 * Running the same encoders under both separates what the architecture does from what the recipe
 * does, which neither challenge could.
 */
public enum Protocol {
    FOMO25,
    SSL3D;

    /** The name the command line, datasets.yaml and the records use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Protocol of(String label) {
        for (Protocol p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no protocol '" + label + "' (have fomo25, ssl3d)");
    }
}
