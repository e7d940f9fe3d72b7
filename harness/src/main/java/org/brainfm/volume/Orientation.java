package org.brainfm.volume;

/**
 * Which world direction each voxel axis points to, as three letters ("RAS", "LAS", "LPI"...),
 * read from an affine. Each voxel axis takes the world axis (x: R/L, y: A/P, z: S/I) its
 * direction cosine is largest on; ties in oblique images are settled greedily, largest first,
 * so that every world axis is used once.
 */
public final class Orientation {
    private static final char[][] LETTERS = {{'R', 'L'}, {'A', 'P'}, {'S', 'I'}};

    private Orientation() {}

    /** For each voxel axis i, j, k: the world axis it maps to (0, 1, 2) and its sign (+1, -1). */
    public static int[][] axes(double[][] affine) {
        double[][] cos = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double norm = Math.sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c] + affine[2][c] * affine[2][c]);
            for (int r = 0; r < 3; r++) {
                cos[r][c] = norm == 0 ? 0 : affine[r][c] / norm;
            }
        }
        int[][] result = new int[3][];
        boolean[] rowUsed = new boolean[3];
        for (int step = 0; step < 3; step++) {
            int bestR = -1;
            int bestC = -1;
            double best = -1;
            for (int c = 0; c < 3; c++) {
                if (result[c] != null) {
                    continue;
                }
                for (int r = 0; r < 3; r++) {
                    if (!rowUsed[r] && Math.abs(cos[r][c]) > best) {
                        best = Math.abs(cos[r][c]);
                        bestR = r;
                        bestC = c;
                    }
                }
            }
            rowUsed[bestR] = true;
            result[bestC] = new int[] {bestR, cos[bestR][bestC] < 0 ? -1 : 1};
        }
        return result;
    }

    /** The three-letter code, e.g. "RAS" for an identity affine. */
    public static String code(double[][] affine) {
        StringBuilder s = new StringBuilder(3);
        for (int[] axis : axes(affine)) {
            s.append(LETTERS[axis[0]][axis[1] > 0 ? 0 : 1]);
        }
        return s.toString();
    }
}
