package org.brainfm.volume;

import java.util.Arrays;

/** A box of voxels, {@code lo} inclusive to {@code hi} exclusive along x, y, z. */
public record BoundingBox(int[] lo, int[] hi) {

    public BoundingBox {
        if (lo.length != 3 || hi.length != 3) {
            throw new IllegalArgumentException("a box has 3 bounds per side");
        }
        for (int a = 0; a < 3; a++) {
            if (hi[a] <= lo[a]) {
                throw new IllegalArgumentException("empty box " + Arrays.toString(lo) + ".." + Arrays.toString(hi));
            }
        }
        lo = lo.clone();
        hi = hi.clone();
    }

    /**
     * The smallest box holding every voxel that is nonzero in any frame, grown by
     * {@code margin} voxels on each side and clipped to the volume; the whole volume when
     * nothing is nonzero.
     */
    public static BoundingBox nonzero(Volume v, int margin) {
        if (margin < 0) {
            throw new IllegalArgumentException("margin must be >= 0, got " + margin);
        }
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        int[] lo = {nx, ny, nz};
        int[] hi = {-1, -1, -1};
        float[] d = v.data();
        int i = 0;
        for (int t = 0; t < v.nt(); t++) {
            for (int z = 0; z < nz; z++) {
                for (int y = 0; y < ny; y++) {
                    int first = -1;
                    int last = -1;
                    for (int x = 0; x < nx; x++, i++) {
                        if (d[i] != 0) {
                            if (first < 0) {
                                first = x;
                            }
                            last = x;
                        }
                    }
                    if (first >= 0) {
                        lo[0] = Math.min(lo[0], first);
                        hi[0] = Math.max(hi[0], last);
                        lo[1] = Math.min(lo[1], y);
                        hi[1] = Math.max(hi[1], y);
                        lo[2] = Math.min(lo[2], z);
                        hi[2] = Math.max(hi[2], z);
                    }
                }
            }
        }
        if (hi[0] < 0) {
            return new BoundingBox(new int[3], new int[] {nx, ny, nz});
        }
        int[] n = {nx, ny, nz};
        for (int a = 0; a < 3; a++) {
            lo[a] = Math.max(0, lo[a] - margin);
            hi[a] = Math.min(n[a], hi[a] + 1 + margin);
        }
        return new BoundingBox(lo, hi);
    }

    @Override
    public int[] lo() {
        return lo.clone();
    }

    @Override
    public int[] hi() {
        return hi.clone();
    }

    /** Extents along x, y, z. */
    public int[] size() {
        return new int[] {hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundingBox b && Arrays.equals(lo, b.lo) && Arrays.equals(hi, b.hi);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi);
    }

    @Override
    public String toString() {
        return Arrays.toString(lo) + ".." + Arrays.toString(hi);
    }
}
