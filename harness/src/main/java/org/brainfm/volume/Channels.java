package org.brainfm.volume;

import java.util.Arrays;

/** Co-registered contrasts as the frames of one 4D volume (channel c = frame c), and back. */
public final class Channels {
    /** How far (mm) two affines' entries may differ for their volumes to count as co-registered. */
    private static final double TOLERANCE_MM = 1e-3;

    private Channels() {}

    /** The 3D volumes as frames 0, 1, ... of one volume; all must share extents and affine. */
    public static Volume stack(Volume... channels) {
        if (channels.length == 0) {
            throw new IllegalArgumentException("no channels to stack");
        }
        Volume first = channels[0];
        int voxels = first.nx() * first.ny() * first.nz();
        float[] data = new float[voxels * channels.length];
        double[][] affine = first.affine();
        for (int c = 0; c < channels.length; c++) {
            Volume v = channels[c];
            if (v.shape().length != 3) {
                throw new IllegalArgumentException("channel " + c + " is not 3D: " + Arrays.toString(v.shape()));
            }
            if (!Arrays.equals(v.shape(), first.shape()) || !close(v.affine(), affine)) {
                throw new IllegalArgumentException("channel " + c + " is not on channel 0's grid: "
                        + Grid.of(v) + " vs " + Grid.of(first));
            }
            System.arraycopy(v.data(), 0, data, c * voxels, voxels);
        }
        return new Volume(new int[] {first.nx(), first.ny(), first.nz(), channels.length}, data, affine);
    }

    /** Frame {@code t} of {@code v} as a 3D volume (a copy). */
    public static Volume frame(Volume v, int t) {
        if (t < 0 || t >= v.nt()) {
            throw new IllegalArgumentException("frame " + t + " of a volume with " + v.nt());
        }
        int voxels = v.nx() * v.ny() * v.nz();
        float[] data = Arrays.copyOfRange(v.data(), t * voxels, (t + 1) * voxels);
        return new Volume(new int[] {v.nx(), v.ny(), v.nz()}, data, v.affine());
    }

    private static boolean close(double[][] a, double[][] b) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                if (Math.abs(a[r][c] - b[r][c]) > TOLERANCE_MM) {
                    return false;
                }
            }
        }
        return true;
    }
}
