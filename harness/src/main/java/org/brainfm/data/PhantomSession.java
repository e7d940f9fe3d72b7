package org.brainfm.data;

import java.util.Arrays;
import org.brainfm.volume.Volume;

/**
 * One rendered phantom session: the tissue map (codes of {@link Tissue}) and the images of every
 * {@link PhantomContrast}, x fastest, all on one RAS grid of {@code shape} voxels of
 * {@code spacing} mm centred on 0 (the 192 mm field of view whatever the voxels).
 */
public record PhantomSession(int[] shape, double[] spacing, byte[] tissueCodes, float[][] images) {

    /** Diagonal RAS affine with the world origin at the centre of the grid. */
    public double[][] affine() {
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            a[i][i] = spacing[i];
            a[i][3] = -(shape[i] - 1) / 2.0 * spacing[i];
        }
        a[3][3] = 1;
        return a;
    }

    public Volume image(PhantomContrast contrast) {
        return volume(images[contrast.ordinal()]);
    }

    public Volume tissue() {
        float[] v = new float[tissueCodes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = tissueCodes[i];
        }
        return volume(v);
    }

    /** The segmentation target: 1 inside the meningioma, 0 elsewhere. */
    public Volume meningiomaMask() {
        float[] v = new float[tissueCodes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = tissueCodes[i] == Tissue.MENINGIOMA.code() ? 1 : 0;
        }
        return volume(v);
    }

    /** Voxels of one tissue class. */
    public int count(Tissue tissue) {
        int n = 0;
        for (byte b : tissueCodes) {
            if (b == tissue.code()) {
                n++;
            }
        }
        return n;
    }

    /** Volume of one tissue class in millilitres. */
    public double millilitres(Tissue tissue) {
        return count(tissue) * spacing[0] * spacing[1] * spacing[2] / 1000;
    }

    /**
     * This session in voxels of {@code block} voxels along x, y, z, as a scanner with larger
     * voxels sees it: each image the mean of a block (its noise falls with the block's size, as a
     * thick slice's does), the tissue map the block's most common code (ties to the lower code).
     * Itself when every block is one voxel.
     */
    PhantomSession averaged(int[] block) {
        if (block[0] == 1 && block[1] == 1 && block[2] == 1) {
            return this;
        }
        int[] out = {shape[0] / block[0], shape[1] / block[1], shape[2] / block[2]};
        int voxels = out[0] * out[1] * out[2];
        float[][] means = new float[images.length][voxels];
        byte[] codes = new byte[voxels];
        int[] votes = new int[Tissue.values().length];
        double[] sums = new double[images.length];
        double perBlock = block[0] * block[1] * block[2];
        int v = 0;
        for (int k = 0; k < out[2]; k++) {
            for (int j = 0; j < out[1]; j++) {
                for (int i = 0; i < out[0]; i++, v++) {
                    Arrays.fill(votes, 0);
                    Arrays.fill(sums, 0);
                    for (int dk = 0; dk < block[2]; dk++) {
                        for (int dj = 0; dj < block[1]; dj++) {
                            int row = ((k * block[2] + dk) * shape[1] + j * block[1] + dj) * shape[0] + i * block[0];
                            for (int di = 0; di < block[0]; di++) {
                                votes[tissueCodes[row + di]]++;
                                for (int c = 0; c < images.length; c++) {
                                    sums[c] += images[c][row + di];
                                }
                            }
                        }
                    }
                    for (int c = 0; c < images.length; c++) {
                        means[c][v] = (float) (sums[c] / perBlock);
                    }
                    int most = 0;
                    for (int t = 1; t < votes.length; t++) {
                        most = votes[t] > votes[most] ? t : most;
                    }
                    codes[v] = (byte) most;
                }
            }
        }
        double[] coarse = {spacing[0] * block[0], spacing[1] * block[1], spacing[2] * block[2]};
        return new PhantomSession(out, coarse, codes, means);
    }

    private Volume volume(float[] data) {
        return new Volume(shape.clone(), data, affine());
    }
}
