package org.brainfm.metrics;

/** Test masks on a grid: boxes, balls, single voxels. */
final class Shapes {
    private Shapes() {}

    /** Voxels with lo <= (x, y, z) < hi, componentwise. */
    static boolean[] box(DistanceGrid g, int[] lo, int[] hi) {
        boolean[] m = new boolean[g.size()];
        for (int z = lo[2]; z < hi[2]; z++) {
            for (int y = lo[1]; y < hi[1]; y++) {
                for (int x = lo[0]; x < hi[0]; x++) {
                    m[g.index(x, y, z)] = true;
                }
            }
        }
        return m;
    }

    /** Voxels within {@code radius} voxels (inclusive) of the centre voxel. */
    static boolean[] ball(DistanceGrid g, int cx, int cy, int cz, double radius) {
        boolean[] m = new boolean[g.size()];
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double dx = x - cx;
                    double dy = y - cy;
                    double dz = z - cz;
                    m[g.index(x, y, z)] = dx * dx + dy * dy + dz * dz <= radius * radius;
                }
            }
        }
        return m;
    }

    static boolean[] voxel(DistanceGrid g, int x, int y, int z) {
        boolean[] m = new boolean[g.size()];
        m[g.index(x, y, z)] = true;
        return m;
    }
}
