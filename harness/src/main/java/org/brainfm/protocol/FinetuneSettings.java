package org.brainfm.protocol;

import org.brainfm.train.Augment;

/**
 * How a finetuning run is run, beyond the card's recipe.
 *
 * @param preset         the card's preset (full or mini)
 * @param folds          1: one model on all finetuning cases; K: K models, each validated on one
 *                       fold, averaged at test time
 * @param epochs         epochs per fold; 0 for the card's
 * @param iterations     optimizer steps per epoch; 0 for one pass over the training cases
 * @param learningRate   peak learning rate; 0 for the card's
 * @param seed           draws the finetuning cases (datasets.yaml's split), initialises and
 *                       trains
 * @param batch          patches per step
 * @param segmentationLoss Dice + CE or Tversky + CE
 * @param labelSmoothing classification's label smoothing
 * @param overlap        sliding-window overlap at test time
 * @param resamples      bootstrap resamples of the 95 % CIs
 * @param augment        patch augmentation while training
 */
public record FinetuneSettings(String preset, int folds, int epochs, int iterations, double learningRate, long seed,
        int batch, SegmentationLoss segmentationLoss, double labelSmoothing, double overlap, int resamples,
        Preprocessing preprocessing, Augment augment) {

    /** The segmentation losses to choose from; Tversky weighs false negatives over false positives. */
    public enum SegmentationLoss {
        DICE_CE(0.5, 0.5),
        TVERSKY_CE(0.3, 0.7);

        final double alpha;
        final double beta;

        SegmentationLoss(double alpha, double beta) {
            this.alpha = alpha;
            this.beta = beta;
        }
    }

    public static final double DEFAULT_LABEL_SMOOTHING = 0.1;
    /** Epochs at the mini preset (docs/protocol.md: what they reach on the synthetic tasks). */
    public static final int MINI_EPOCHS = 4;
    /** Steps per epoch at the mini preset. */
    public static final int MINI_ITERATIONS = 15;
    /** Peak learning rate at the mini preset: the cards' full-scale 1e-4 barely moves a network in 60 steps. */
    public static final double MINI_LR = 1e-2;
    /** Largest global gradient norm while finetuning (the FOMO25 winner clipped at 1.0). */
    public static final double GRADIENT_CLIP = 1.0;
    /** nnU-Net's share of patches centred on foreground when training segmentation. */
    public static final double FOREGROUND_SHARE = 0.33;

    public FinetuneSettings {
        if (folds < 1 || epochs < 0 || iterations < 0 || batch < 1 || !(learningRate >= 0) || resamples < 1) {
            throw new IllegalArgumentException("folds, batch and resamples must be positive; epochs, iterations and learning rate not negative");
        }
    }
}
