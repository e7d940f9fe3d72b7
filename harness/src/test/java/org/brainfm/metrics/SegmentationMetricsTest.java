package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Dice, NSD and HD95 on masks whose answers are worked out by hand in the comments. */
class SegmentationMetricsTest {
    private static final double EPS = 1e-12;

    /** A 5x5x5 cube at [5, 10)^3 and the same cube moved by {@code shift} voxels along {@code axis}. */
    private static boolean[][] cubeAndShifted(DistanceGrid g, int axis, int shift) {
        int[] lo = {5, 5, 5};
        int[] hi = {10, 10, 10};
        boolean[] ref = Shapes.box(g, lo, hi);
        lo[axis] += shift;
        hi[axis] += shift;
        return new boolean[][] {Shapes.box(g, lo, hi), ref};
    }

    @Test
    void cubeAgainstCubeShiftedByTwoVoxels() {
        DistanceGrid g = DistanceGrid.of(20, 20, 20, 1, 1, 1);
        boolean[][] m = cubeAndShifted(g, 0, 2);
        SurfaceDistances d = SurfaceDistances.between(m[0], m[1], g);
        // Overlap 3x5x5 = 75 of 125 voxels each: Dice = 2*75 / 250 = 0.6.
        SegmentationScores s = SegmentationMetrics.score(m[0], m[1], g, 1.0);
        assertThat(s.dice().value()).isCloseTo(0.6, within(EPS));
        // Each boundary: 125 - 3^3 interior = 98 voxels. Prediction x = 7..11, reference x = 5..9.
        // Prediction boundary to the reference boundary:
        //   rings (y or z at 5 or 9) at x = 7, 8, 9 lie on the reference boundary: 48 at 0
        //   ring at x = 10: next to the reference face x = 9: 16 at 1
        //   face x = 7 inside: 8 voxels one step from a y or z face at 1, its centre (7,7,7) at 2
        //   face x = 11: two steps from the reference face x = 9: 25 at 2
        // 48 zeros, 24 ones, 26 twos; the other direction is the mirror image.
        assertThat(d.predToRef()).hasSize(98);
        assertThat(count(d.predToRef(), 0)).isEqualTo(48);
        assertThat(count(d.predToRef(), 1)).isEqualTo(24);
        assertThat(count(d.predToRef(), 2)).isEqualTo(26);
        assertThat(d.refToPred()).containsExactly(d.predToRef());
        // NSD at 1 mm: (72 + 72) / (98 + 98); at 0 mm: (48 + 48) / 196.
        assertThat(s.nsd().value()).isCloseTo(144.0 / 196, within(EPS));
        assertThat(d.nsd(0)).isCloseTo(96.0 / 196, within(EPS));
        assertThat(d.nsd(2)).isEqualTo(1.0);
        // HD95: position 0.95 * 97 = 92.15 in the sorted 98 lies among the twos (72..97).
        assertThat(s.hd95().value()).isEqualTo(2.0);
        assertThat(d.hausdorff()).isEqualTo(2.0);
        assertThat(s.flag()).isEqualTo(Flag.OK);
        assertThat(s.predVoxels()).isEqualTo(125);
        assertThat(s.refVoxels()).isEqualTo(125);
    }

    @Test
    void anisotropicSpacingScalesTheShiftedAxisOnly() {
        // The same cubes, moved along x with voxels 2 mm in x and 1 mm in y and z:
        //   48 at 0; ring x = 10: 1 voxel in x = 2 mm (16); face x = 11: 2 voxels in x = 4 mm (25);
        //   face x = 7 inside: 8 at 1 mm from a y or z face; the centre (7,7,7): 2 mm to y/z faces
        //   (4 mm to x faces) -> 17 at 2 mm.
        DistanceGrid gx = DistanceGrid.of(20, 20, 20, 2, 1, 1);
        boolean[][] mx = cubeAndShifted(gx, 0, 2);
        SurfaceDistances dx = SurfaceDistances.between(mx[0], mx[1], gx);
        assertThat(new int[] {count(dx.predToRef(), 0), count(dx.predToRef(), 1), count(dx.predToRef(), 2),
            count(dx.predToRef(), 4)}).containsExactly(48, 8, 17, 25);
        // Sorted: 0 at 0..47, 1 at 48..55, 2 at 56..72, 4 at 73..97; 92.15 falls among the 4s.
        assertThat(dx.hd95()).isEqualTo(4.0);
        // NSD at 2 mm: (73 + 73) / 196; at 1 mm: (56 + 56) / 196.
        assertThat(dx.nsd(2)).isCloseTo(146.0 / 196, within(EPS));
        assertThat(dx.nsd(1)).isCloseTo(112.0 / 196, within(EPS));

        // Moved along z with 3 mm slices: 48 at 0; ring z = 10: one 3 mm slice (16); face z = 11:
        // two slices, 6 mm (25); face z = 7 inside: 8 at 1 mm, and its centre (7,7,7) now 2 mm from
        // the x and y faces (6 mm from the z faces).
        DistanceGrid gz = DistanceGrid.of(20, 20, 20, 1, 1, 3);
        boolean[][] mz = cubeAndShifted(gz, 2, 2);
        SurfaceDistances dz = SurfaceDistances.between(mz[0], mz[1], gz);
        assertThat(new int[] {count(dz.predToRef(), 0), count(dz.predToRef(), 1), count(dz.predToRef(), 2),
            count(dz.predToRef(), 3), count(dz.predToRef(), 6)}).containsExactly(48, 8, 1, 16, 25);
        assertThat(dz.hd95()).isEqualTo(6.0);
        assertThat(dz.hausdorff()).isEqualTo(6.0);
        // Dice ignores spacing: still 2*75/250.
        assertThat(SegmentationMetrics.dice(mz[0], mz[1])).isCloseTo(0.6, within(EPS));
    }

    @Test
    void singleVoxels() {
        // (2,3,4) and (5,7,4) on a 1 mm grid: 3-4-5 triangle, 5 mm both ways.
        DistanceGrid g = DistanceGrid.of(8, 8, 8, 1, 1, 1);
        SegmentationScores s = SegmentationMetrics.score(Shapes.voxel(g, 2, 3, 4), Shapes.voxel(g, 5, 7, 4), g, 5);
        assertThat(s.dice().value()).isEqualTo(0.0);
        assertThat(s.hd95().value()).isCloseTo(5.0, within(EPS));
        assertThat(s.nsd().value()).isEqualTo(1.0); // 5 <= 5 mm: both voxels within tolerance
        assertThat(SegmentationMetrics.score(Shapes.voxel(g, 2, 3, 4), Shapes.voxel(g, 5, 7, 4), g, 4.99)
                .nsd().value()).isEqualTo(0.0);

        // (0,0,0) and (4,1,2) with 0.5 x 2 x 3 mm voxels: offsets 2, 2 and 6 mm -> sqrt(4 + 4 + 36).
        DistanceGrid a = DistanceGrid.of(5, 3, 4, 0.5, 2, 3);
        SegmentationScores t = SegmentationMetrics.score(Shapes.voxel(a, 0, 0, 0), Shapes.voxel(a, 4, 1, 2), a, 1);
        assertThat(t.hd95().value()).isCloseTo(Math.sqrt(44), within(EPS));
        // The same voxel: perfect.
        SegmentationScores same = SegmentationMetrics.score(Shapes.voxel(a, 1, 1, 1), Shapes.voxel(a, 1, 1, 1), a, 0);
        assertThat(new double[] {same.dice().value(), same.nsd().value(), same.hd95().value()}).containsExactly(1, 1, 0);
    }

    @Test
    void concentricBalls() {
        DistanceGrid g = DistanceGrid.of(21, 21, 21, 1, 1, 1);
        boolean[] small = Shapes.ball(g, 10, 10, 10, 5);
        boolean[] big = Shapes.ball(g, 10, 10, 10, 8);
        // small lies inside big: Dice = 2|small| / (|small| + |big|).
        long ns = Masks.count(small);
        long nb = Masks.count(big);
        assertThat(SegmentationMetrics.dice(small, big)).isCloseTo(2.0 * ns / (ns + nb), within(EPS));
        // A boundary voxel of the ball |p| <= R has a face neighbour outside it, so R - 1 < |p| <= R:
        // the small boundary lies in (4, 5], the big one in (7, 8], at least 8 - 1 - 5 = 2 apart
        // strictly. Hence NSD at 2 mm is exactly 0 and HD95 exceeds 2.
        SurfaceDistances d = SurfaceDistances.between(small, big, g);
        assertThat(d.nsd(2)).isEqualTo(0.0);
        assertThat(d.hd95()).isGreaterThan(2).isLessThanOrEqualTo(d.hausdorff());
        // No two boundary voxels are farther apart than 4 + 1 (radial gap plus the voxel shell).
        assertThat(d.hausdorff()).isLessThanOrEqualTo(5);
        assertThat(d.nsd(5)).isEqualTo(1.0);
        // A ball against itself.
        SegmentationScores self = SegmentationMetrics.score(big, big, g, 0);
        assertThat(new double[] {self.dice().value(), self.nsd().value(), self.hd95().value()}).containsExactly(1, 1, 0);
    }

    @Test
    void masksTouchingTheGridBorderHaveTheirBorderVoxelsOnTheBoundary() {
        // A full 3x3x3 grid: only the centre voxel has all 6 neighbours inside, so 26 boundary voxels.
        DistanceGrid g = DistanceGrid.of(3, 3, 3, 1, 1, 1);
        boolean[] full = Shapes.box(g, new int[] {0, 0, 0}, new int[] {3, 3, 3});
        assertThat(Masks.count(Masks.boundary(full, g))).isEqualTo(26);
        // Against the centre voxel: 26 boundary voxels at 1, sqrt 2 (12 edges) or sqrt 3 (8 corners)
        // from it, and it at 1 from the nearest; 6 at 1 mm out of 27 boundary voxels in all within 1 mm:
        // NSD(1) = (6 + 1) / (26 + 1).
        SurfaceDistances d = SurfaceDistances.between(full, Shapes.voxel(g, 1, 1, 1), g);
        assertThat(d.nsd(1)).isCloseTo(7.0 / 27, within(EPS));
        assertThat(d.hausdorff()).isCloseTo(Math.sqrt(3), within(EPS));
    }

    @Test
    void edgeCases() {
        DistanceGrid g = DistanceGrid.of(4, 5, 6, 1, 2, 3);
        boolean[] empty = new boolean[g.size()];
        boolean[] one = Shapes.voxel(g, 1, 1, 1);
        // Both empty: the right answer to "nothing here" is perfect (MetricsReloaded).
        SegmentationScores both = SegmentationMetrics.score(empty, empty, g, 2);
        assertThat(new double[] {both.dice().value(), both.nsd().value(), both.hd95().value()}).containsExactly(1, 1, 0);
        assertThat(both.flag()).isEqualTo(Flag.BOTH_EMPTY);
        // One empty: 0, 0 and the diagonal of the 4 x 10 x 18 mm field of view, sqrt(16 + 100 + 324).
        double diagonal = Math.sqrt(16 + 100 + 324);
        SegmentationScores noPred = SegmentationMetrics.score(empty, one, g, 2);
        assertThat(new double[] {noPred.dice().value(), noPred.nsd().value(), noPred.hd95().value()})
                .containsExactly(0, 0, diagonal);
        assertThat(noPred.flag()).isEqualTo(Flag.EMPTY_PREDICTION);
        assertThat(SegmentationMetrics.score(one, empty, g, 2).flag()).isEqualTo(Flag.EMPTY_REFERENCE);
        // Missing and invalid: the worst values, flagged.
        SegmentationScores missing = SegmentationMetrics.missing(one, g, 2);
        assertThat(missing.hd95()).isEqualTo(new Score(diagonal, Flag.MISSING));
        assertThat(missing.dice()).isEqualTo(new Score(0, Flag.MISSING));
        assertThat(SegmentationMetrics.invalid(one, g, 2).nsd()).isEqualTo(new Score(0, Flag.INVALID));
        // Worse than any real distance on the grid: corner to corner between voxel centres.
        SegmentationScores corners = SegmentationMetrics.score(Shapes.voxel(g, 0, 0, 0), Shapes.voxel(g, 3, 4, 5), g, 2);
        assertThat(corners.hd95().value()).isLessThan(diagonal);
    }

    @Test
    void rejectsMismatchedInput() {
        DistanceGrid g = DistanceGrid.of(4, 4, 4, 1, 1, 1);
        assertThatThrownBy(() -> SegmentationMetrics.score(new boolean[64], new boolean[63], g, 2))
                .hasMessageContaining("63");
        assertThatThrownBy(() -> SegmentationMetrics.score(new boolean[64], new boolean[64], g, -1))
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> SegmentationMetrics.score(new boolean[64], new boolean[64], g, Double.NaN))
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> DistanceGrid.of(4, 0, 4, 1, 1, 1)).hasMessageContaining("positive");
    }

    private static int count(double[] values, double v) {
        int n = 0;
        for (double x : values) {
            if (Math.abs(x - v) < 1e-12) {
                n++;
            }
        }
        return n;
    }
}
