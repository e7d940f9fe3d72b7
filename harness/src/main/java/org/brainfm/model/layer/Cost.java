package org.brainfm.model.layer;

/**
 * Parameters and forward FLOPs of a network, counted analytically layer by layer.
 *
 * <p>What is counted: one multiply-add is 2 FLOPs; convolutions
 * {@code 2 * Cin * Cout * k^3 * outputVoxels}; linear layers {@code 2 * in * out * tokens};
 * attention's two matrix products {@code 2 * 2 * N^2 * dim}. Normalisations, activations,
 * pooling, additions, rotary embeddings and softmax are not counted (they are memory-bound
 * and below 1 % of the total for every architecture here).
 */
public final class Cost {
    private long parameters;
    private long flops;

    public void add(long parameters, long flops) {
        this.parameters += parameters;
        this.flops += flops;
    }

    public long parameters() {
        return parameters;
    }

    public long flops() {
        return flops;
    }
}
