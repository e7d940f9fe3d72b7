package org.brainfm.model.layer;

/**
 * 3D rotary position embedding tables. Each head's features are split in three equal parts,
 * one per axis; within a part, consecutive pairs rotate by {@code position * 10000^(-i/bands)}.
 * Tokens are ordered as the flattened (x, y, z) grid, z fastest.
 */
public final class Rope {
    private Rope() {}

    /** {cos, sin}, each tokens x headDim, row-major. */
    public static float[][] tables(long[] grid, int headDim) {
        int part = headDim / 3;
        int bands = part / 2;
        int tokens = (int) (grid[0] * grid[1] * grid[2]);
        float[] cos = new float[tokens * headDim];
        float[] sin = new float[tokens * headDim];
        for (int t = 0; t < tokens; t++) {
            long[] pos = {t / (grid[1] * grid[2]), (t / grid[2]) % grid[1], t % grid[2]};
            for (int axis = 0; axis < 3; axis++) {
                for (int i = 0; i < bands; i++) {
                    double angle = pos[axis] * Math.pow(10000.0, -(double) i / bands);
                    int at = t * headDim + axis * part + 2 * i;
                    cos[at] = cos[at + 1] = (float) Math.cos(angle);
                    sin[at] = sin[at + 1] = (float) Math.sin(angle);
                }
            }
        }
        return new float[][] {cos, sin};
    }

    /** R with (x R) = rotate-half of pairs: (x0, x1) -> (-x1, x0). */
    static float[] rotation(int headDim) {
        float[] r = new float[headDim * headDim];
        for (int i = 0; i < headDim; i += 2) {
            r[(i + 1) * headDim + i] = -1f;
            r[i * headDim + i + 1] = 1f;
        }
        return r;
    }
}
