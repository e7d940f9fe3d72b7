package org.brainfm.data;

import org.brainfm.volume.Volume;

/**
 * One rendered phantom session on a size^3 grid: the tissue map (codes of {@link Tissue}) and
 * the images of every {@link PhantomContrast}, x fastest, all on one RAS grid centred on 0.
 */
public record PhantomSession(int size, double spacing, byte[] tissueCodes, float[][] images) {

    /** Diagonal RAS affine with the world origin at the centre of the grid. */
    public double[][] affine() {
        double o = -(size - 1) / 2.0 * spacing;
        return new double[][] {
            {spacing, 0, 0, o},
            {0, spacing, 0, o},
            {0, 0, spacing, o},
            {0, 0, 0, 1},
        };
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
        return count(tissue) * spacing * spacing * spacing / 1000;
    }

    private Volume volume(float[] data) {
        return new Volume(new int[] {size, size, size}, data, affine());
    }
}
