package org.brainfm.loss;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/** The segmentation losses to choose from; Tversky weighs false negatives over false positives. */
public enum SegmentationLoss {
    DICE_CE(0.5, 0.5),
    TVERSKY_CE(0.3, 0.7);

    private final double alpha;
    private final double beta;

    SegmentationLoss(double alpha, double beta) {
        this.alpha = alpha;
        this.beta = beta;
    }

    /** The loss of {@code logits} (B, K, ...spatial) against class indices {@code labels} (B, ...spatial). */
    public NDArray apply(NDArray logits, NDArray labels) {
        return Losses.tverskyCrossEntropy(logits, labels, alpha, beta);
    }

    /** The name the command line and the run configuration use: {@code dice-ce} or {@code tversky-ce}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
