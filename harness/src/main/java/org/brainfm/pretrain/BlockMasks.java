package org.brainfm.pretrain;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Random block masks for masked image modelling: the patch is tiled by cubes of {@code unit}
 * voxels (the last ones cut at the edge) and {@code round(ratio x blocks)} of them, chosen
 * uniformly, are masked (1); the rest are visible (0). Same layout as the patches.
 */
public final class BlockMasks {
    private BlockMasks() {}

    public static float[] blocks(int[] size, int unit, double ratio, RandomGenerator random) {
        int bx = (size[0] + unit - 1) / unit;
        int by = (size[1] + unit - 1) / unit;
        int bz = (size[2] + unit - 1) / unit;
        int count = bx * by * bz;
        int masked = (int) Math.round(ratio * count);
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = 0; i < masked; i++) {
            int j = i + random.nextInt(count - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] hidden = new boolean[count];
        for (int i = 0; i < masked; i++) {
            hidden[order[i]] = true;
        }
        float[] mask = new float[size[0] * size[1] * size[2]];
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                int blockRow = bx * (y / unit + by * (z / unit));
                int row = size[0] * (y + size[1] * z);
                for (int b = 0; b < bx; b++) {
                    if (hidden[blockRow + b]) {
                        Arrays.fill(mask, row + b * unit, row + Math.min(size[0], (b + 1) * unit), 1f);
                    }
                }
            }
        }
        return mask;
    }

    /** A ratio drawn uniformly from [low, high] (a fixed ratio when they are equal). */
    public static double ratio(double low, double high, RandomGenerator random) {
        return low == high ? low : low + (high - low) * random.nextDouble();
    }
}
