package org.brainfm.recipe;

import java.util.Map;
import org.brainfm.train.Augment;

/**
 * How an objective draws and masks its batches.
 *
 * @param patch          patch extents (x, y, z)
 * @param batch          patches (or pairs of patches) per step
 * @param maskLow        lowest mask ratio; {@code maskHigh} the highest (equal: fixed ratio)
 * @param maskUnit       edge of the masked cubes, voxels
 * @param maskedOnly     reconstruction loss on masked voxels only (MAE) or on all voxels
 * @param weights        loss weights by term name; missing terms take the objective's defaults
 * @param klAnnealEpochs epochs over which the KL weight rises from 0 to its value
 * @param augment        patch augmentation
 */
public record PretrainSettings(int[] patch, int batch, double maskLow, double maskHigh, int maskUnit, boolean maskedOnly,
        Map<String, Double> weights, int klAnnealEpochs, Augment augment) {
    public PretrainSettings {
        weights = Map.copyOf(weights);
        if (batch < 1 || maskUnit < 1 || !(maskLow >= 0 && maskLow <= maskHigh && maskHigh < 1)) {
            throw new IllegalArgumentException("batch and mask unit must be positive, mask ratios within [0, 1)");
        }
    }

    public double weight(String term, double fallback) {
        return weights.getOrDefault(term, fallback);
    }

    public long patchVoxels() {
        return (long) patch[0] * patch[1] * patch[2];
    }
}
