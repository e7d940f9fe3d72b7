package org.brainfm.volume;

/**
 * Which world direction each voxel axis points to, as three letters ("RAS", "LAS", "LPI"...),
 * read from an affine. As nibabel's {@code io_orientation}: voxel axes i, j, k in turn take
 * the world axis (x: R/L, y: A/P, z: S/I) their direction cosine is largest on among those
 * not yet taken, so oblique images get the same code as in nibabel. (nibabel first removes
 * shears by a polar decomposition; for the rotations and flips NIfTI affines hold that is
 * the identity.)
 */
public final class Orientation {
    private static final char[][] LETTERS = {{'R', 'L'}, {'A', 'P'}, {'S', 'I'}};

    private Orientation() {}

    /** For each voxel axis i, j, k: the world axis it maps to (0, 1, 2) and its sign (+1, -1). */
    public static int[][] axes(double[][] affine) {
        double[][] cos = new double[3][3];
        double[] norms = Volume.spacing(affine);
        for (int c = 0; c < 3; c++) {
            double norm = norms[c];
            for (int r = 0; r < 3; r++) {
                cos[r][c] = norm == 0 ? 0 : affine[r][c] / norm;
            }
        }
        int[][] result = new int[3][];
        boolean[] taken = new boolean[3];
        for (int c = 0; c < 3; c++) {
            int best = -1;
            for (int r = 0; r < 3; r++) {
                if (!taken[r] && (best < 0 || Math.abs(cos[r][c]) > Math.abs(cos[best][c]))) {
                    best = r;
                }
            }
            taken[best] = true;
            result[c] = new int[] {best, cos[best][c] < 0 ? -1 : 1};
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
