package org.brainfm.train;

/**
 * The recipe of one training run: how long, how fast, how regularised, from which seed.
 * Pretraining fills it from a model card's {@code pretraining:} block, finetuning from its
 * {@code finetuning:} block.
 *
 * @param epochs             epochs of the whole schedule (a resumed run keeps the same number)
 * @param iterationsPerEpoch optimizer steps per epoch
 * @param learningRate       peak learning rate, reached at the end of the warmup
 * @param minLearningRate    where the cosine decay ends
 * @param weightDecay        AdamW's decoupled weight decay (not applied to biases and norms)
 * @param warmupEpochs       epochs of linear warmup from 0 (0: none)
 * @param gradientClip       largest global L2 norm of the gradients (0: no clipping)
 * @param seed               the one seed every random choice derives from
 */
public record TrainConfig(int epochs, int iterationsPerEpoch, double learningRate, double minLearningRate,
        double weightDecay, int warmupEpochs, double gradientClip, long seed) {
    /** AdamW's moment decays and epsilon (PyTorch's defaults). */
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    public TrainConfig {
        if (epochs < 1 || iterationsPerEpoch < 1) {
            throw new IllegalArgumentException("epochs and iterations per epoch must be positive, not " + epochs + " and " + iterationsPerEpoch);
        }
        if (!(learningRate > 0) || !(minLearningRate >= 0) || minLearningRate > learningRate) {
            throw new IllegalArgumentException("learning rate must be positive and at least the minimum, not " + learningRate + " / " + minLearningRate);
        }
        if (!(weightDecay >= 0) || warmupEpochs < 0 || warmupEpochs > epochs || !(gradientClip >= 0)) {
            throw new IllegalArgumentException("weight decay, warmup (<= epochs) and gradient clip must be non-negative");
        }
    }

    public long totalSteps() {
        return (long) epochs * iterationsPerEpoch;
    }

    /**
     * The learning rate of optimizer step {@code step} (0-based): linear warmup to the peak over
     * the warmup epochs (the first step already above 0), then half a cosine down to the minimum.
     */
    public double learningRate(long step) {
        long warmup = (long) warmupEpochs * iterationsPerEpoch;
        if (step < warmup) {
            return learningRate * (step + 1) / warmup;
        }
        long decay = totalSteps() - warmup;
        double t = decay <= 1 ? 0 : Math.min(1.0, (double) (step - warmup) / (decay - 1));
        return minLearningRate + (learningRate - minLearningRate) * 0.5 * (1 + Math.cos(Math.PI * t));
    }

    public TrainConfig withEpochs(int value) {
        return new TrainConfig(value, iterationsPerEpoch, learningRate, minLearningRate, weightDecay,
                Math.min(warmupEpochs, value), gradientClip, seed);
    }

    public TrainConfig withSeed(long value) {
        return new TrainConfig(epochs, iterationsPerEpoch, learningRate, minLearningRate, weightDecay, warmupEpochs, gradientClip, value);
    }
}
