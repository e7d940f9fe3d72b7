package org.brainfm.volume;

/**
 * Intensity z-scoring, each frame (channel) on its own, in double precision. The grid is
 * unchanged, so the step's undo does nothing: predictions need no intensity restored.
 */
public final class ZScore {
    private ZScore() {}

    /**
     * The step for skull-stripped brain MRI, as nnU-Net and FOMO25 do it: mean and standard
     * deviation (population, ddof 0) of the voxels that are not 0; those become
     * (value - mean) / std, zeros stay 0. A constant foreground (std 0) is only centred; an
     * all-zero frame is left as it is.
     */
    public static VolumeOp nonzero() {
        return v -> new VolumeOp.Applied(normalise(v, true), VolumeOp.Undo.NOTHING);
    }

    /** The step over every voxel (per-image z-score, as SSL3D's OpenMind data); std 0 only centres. */
    public static VolumeOp all() {
        return v -> new VolumeOp.Applied(normalise(v, false), VolumeOp.Undo.NOTHING);
    }

    private static Volume normalise(Volume v, boolean nonzeroOnly) {
        float[] src = v.data();
        float[] dst = new float[src.length];
        int voxels = v.nx() * v.ny() * v.nz();
        for (int t = 0; t < v.nt(); t++) {
            int from = t * voxels;
            int to = from + voxels;
            long n = 0;
            double sum = 0;
            for (int i = from; i < to; i++) {
                if (!nonzeroOnly || src[i] != 0) {
                    sum += src[i];
                    n++;
                }
            }
            if (n == 0) {
                System.arraycopy(src, from, dst, from, voxels);
                continue;
            }
            double mean = sum / n;
            double squares = 0;
            for (int i = from; i < to; i++) {
                if (!nonzeroOnly || src[i] != 0) {
                    double d = src[i] - mean;
                    squares += d * d;
                }
            }
            double std = Math.sqrt(squares / n);
            // a constant frame's std is round-off, not spread
            double scale = std > 1e-10 * Math.abs(mean) && std > 0 ? 1 / std : 1;
            for (int i = from; i < to; i++) {
                dst[i] = nonzeroOnly && src[i] == 0 ? 0f : (float) ((src[i] - mean) * scale);
            }
        }
        return v.withData(dst);
    }
}
