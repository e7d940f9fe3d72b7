package org.brainfm.train;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One batch's loss: the scalar to minimise, its named terms (already weighted or not, as the
 * objective documents; for logging only), and the input voxels the batch held (for voxels/s).
 */
public record BatchLoss(NDArray total, Map<String, NDArray> terms, long voxels) {
    public BatchLoss {
        terms = new LinkedHashMap<>(terms);
    }

    public static BatchLoss of(NDArray total, long voxels) {
        return new BatchLoss(total, Map.of(), voxels);
    }
}
