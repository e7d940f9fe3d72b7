package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real anatomy: regions of the AAL atlas (mricron-data) scored against deformed copies of
 * themselves (shift, dilation, erosion, a smooth warp), brainfm against the scipy reference.
 */
class AalOracleTest {
    private static final Path AAL = Path.of("/usr/share/mricron/templates/aal.nii.gz");
    /** Precentral_L, Hippocampus_L, Caudate_L, Thalamus_R, Cerebelum_6_L. */
    private static final int[] REGIONS = {1, 37, 71, 78, 99};

    private static Volume atlas;

    @TempDir
    Path dir;

    @BeforeAll
    static void readAtlas() {
        assertThat(AAL).as("the AAL atlas of Debian's mricron-data (scripts/test installs it)").exists();
        atlas = NiftiReader.read(AAL);
    }

    @Test
    void regionsAgainstDeformedCopiesAgreeWithScipy() throws Exception {
        DistanceGrid grid = new DistanceGrid(atlas.shape(), atlas.spacing());
        // Every other slice of the atlas, read as 2 mm slices: the same anatomy on an anisotropic grid.
        DistanceGrid thick = DistanceGrid.of(grid.nx(), grid.ny(), (grid.nz() + 1) / 2, grid.spacing(0), grid.spacing(1), 2 * grid.spacing(2));
        ScipyOracle oracle = new ScipyOracle(dir);
        List<SegmentationScores> scores = new ArrayList<>();
        for (int label : REGIONS) {
            boolean[] region = Masks.label(atlas.data(), label);
            // Deform inside a padded box around the region (fast); brainfm scores the result put back
            // on the whole atlas grid, the reference scores the box: distances between boundaries do
            // not depend on the empty space around them.
            int[] at = paddedBox(region, grid);
            DistanceGrid box = DistanceGrid.of(at[3] - at[0], at[4] - at[1], at[5] - at[2], grid.spacing(0), grid.spacing(1), grid.spacing(2));
            boolean[] ref = crop(region, grid, at, box);
            int[] thickAt = {at[0], at[1], at[2] / 2, at[3], at[4], at[2] / 2 + (box.nz() + 1) / 2};
            DistanceGrid thickBox = DistanceGrid.of(box.nx(), box.ny(), thickAt[5] - thickAt[2], thick.spacing(0), thick.spacing(1), thick.spacing(2));
            boolean[] thickRef = crop(everyOtherSlice(region, grid, thick), thick, thickAt, thickBox);
            List<boolean[]> deformed = List.of(shift(ref, box, 2, -1, 3), dilate(ref, box), erode(ref, box), warp(ref, box));
            for (int c = 0; c <= deformed.size(); c++) {
                boolean last = c == deformed.size();
                DistanceGrid whole = last ? thick : grid;
                DistanceGrid local = last ? thickBox : box;
                int[] where = last ? thickAt : at;
                boolean[] r = last ? thickRef : ref;
                boolean[] p = last ? warp(dilate(thickRef, thickBox), thickBox) : deformed.get(c);
                boolean[] wholeP = embed(p, local, where, whole);
                boolean[] wholeR = embed(r, local, where, whole);
                scores.add(SegmentationMetrics.score(wholeP, wholeR, whole, 2.0));
                oracle.segmentation(p, r, local, 2.0);
            }
        }
        JsonNode expected = oracle.run().get("segmentation");
        double[] worst = new double[3];
        for (int c = 0; c < scores.size(); c++) {
            JsonNode e = expected.get(c);
            SegmentationScores s = scores.get(c);
            assertThat(s.flag()).isEqualTo(Flag.OK);
            worst[0] = Math.max(worst[0], Math.abs(s.dice().value() - e.get("dice").asDouble()));
            worst[1] = Math.max(worst[1], Math.abs(s.nsd().value() - e.get("nsd").asDouble()));
            worst[2] = Math.max(worst[2], Math.abs(s.hd95().value() - e.get("hd95").asDouble()));
        }
        System.out.printf("AAL vs scipy, %d cases (%d regions x shift, dilation, erosion, warp, 2 mm-slice warp): "
                + "max |diff| Dice %.3g, NSD %.3g, HD95 %.3g mm%n",
                scores.size(), REGIONS.length, worst[0], worst[1], worst[2]);
        assertThat(worst[0]).isLessThanOrEqualTo(1e-6);
        assertThat(worst[1]).isLessThanOrEqualTo(1e-6);
        assertThat(worst[2]).isLessThanOrEqualTo(1e-9);
        // The deformations are real: none of them leaves a region unchanged.
        assertThat(scores).allSatisfy(s -> assertThat(s.dice().value()).isLessThan(1));
    }

    private static boolean[] shift(boolean[] m, DistanceGrid g, int dx, int dy, int dz) {
        boolean[] out = new boolean[m.length];
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    int sx = x - dx;
                    int sy = y - dy;
                    int sz = z - dz;
                    out[g.index(x, y, z)] = sx >= 0 && sy >= 0 && sz >= 0 && sx < g.nx() && sy < g.ny() && sz < g.nz()
                            && m[g.index(sx, sy, sz)];
                }
            }
        }
        return out;
    }

    /** One step of 6-connected dilation: the mask and its face neighbours. */
    private static boolean[] dilate(boolean[] m, DistanceGrid g) {
        boolean[] out = m.clone();
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int[] s : steps) {
            boolean[] moved = shift(m, g, s[0], s[1], s[2]);
            for (int i = 0; i < out.length; i++) {
                out[i] |= moved[i];
            }
        }
        return out;
    }

    /** One step of erosion: the mask without its boundary. */
    private static boolean[] erode(boolean[] m, DistanceGrid g) {
        boolean[] boundary = Masks.boundary(m, g);
        boolean[] out = m.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] &= !boundary[i];
        }
        return out;
    }

    /** A smooth warp: each voxel takes the value at x + u(x), u a few voxels of slow sine waves. */
    private static boolean[] warp(boolean[] m, DistanceGrid g) {
        boolean[] out = new boolean[m.length];
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    int sx = (int) Math.round(x + 2.5 * Math.sin(2 * Math.PI * y / 40.0));
                    int sy = (int) Math.round(y + 2.0 * Math.sin(2 * Math.PI * z / 35.0 + 1));
                    int sz = (int) Math.round(z + 1.5 * Math.sin(2 * Math.PI * x / 50.0 + 2));
                    out[g.index(x, y, z)] = sx >= 0 && sy >= 0 && sz >= 0 && sx < g.nx() && sy < g.ny() && sz < g.nz()
                            && m[g.index(sx, sy, sz)];
                }
            }
        }
        return out;
    }

    private static boolean[] everyOtherSlice(boolean[] m, DistanceGrid g, DistanceGrid thick) {
        boolean[] out = new boolean[thick.size()];
        int plane = g.nx() * g.ny();
        for (int z = 0; z < thick.nz(); z++) {
            System.arraycopy(m, 2 * z * plane, out, z * plane, plane);
        }
        return out;
    }

    /** Room for the largest displacement of any deformation here, plus one voxel. */
    private static final int MARGIN = 6;

    /** {x0, y0, z0, x1, y1, z1}: the mask's bounding box grown by MARGIN, within the grid. */
    private static int[] paddedBox(boolean[] m, DistanceGrid g) {
        int[] b = SurfaceDistances.boundingBox(m, m, g);
        int[] n = g.shape();
        for (int a = 0; a < 3; a++) {
            b[a] = Math.max(0, b[a] - MARGIN);
            b[a + 3] = Math.min(n[a], b[a + 3] + MARGIN);
        }
        return b;
    }

    private static boolean[] crop(boolean[] m, DistanceGrid g, int[] at, DistanceGrid local) {
        boolean[] out = new boolean[local.size()];
        for (int z = 0; z < local.nz(); z++) {
            for (int y = 0; y < local.ny(); y++) {
                System.arraycopy(m, g.index(at[0], at[1] + y, at[2] + z), out, local.index(0, y, z), local.nx());
            }
        }
        return out;
    }

    private static boolean[] embed(boolean[] local, DistanceGrid localGrid, int[] at, DistanceGrid g) {
        boolean[] out = new boolean[g.size()];
        for (int z = 0; z < localGrid.nz(); z++) {
            for (int y = 0; y < localGrid.ny(); y++) {
                System.arraycopy(local, localGrid.index(0, y, z), out, g.index(at[0], at[1] + y, at[2] + z), localGrid.nx());
            }
        }
        return out;
    }
}
