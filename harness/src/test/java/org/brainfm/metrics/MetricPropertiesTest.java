package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/** Properties that must hold for any masks on any grid. */
class MetricPropertiesTest {
    /** Two random masks (each voxel foreground with a random density) on a small anisotropic grid. */
    record Pair(DistanceGrid grid, boolean[] a, boolean[] b) {
        @Override
        public String toString() {
            return grid + " a=" + Masks.count(a) + " b=" + Masks.count(b);
        }
    }

    @Provide
    Arbitrary<Pair> pairs() {
        Arbitrary<Integer> extent = Arbitraries.integers().between(1, 7);
        Arbitrary<Double> spacing = Arbitraries.doubles().between(0.2, 3.0).ofScale(3);
        Arbitrary<DistanceGrid> grids = Combinators.combine(extent, extent, extent, spacing, spacing, spacing)
                .as(DistanceGrid::of);
        return grids.flatMap(g -> {
            Arbitrary<boolean[]> mask = Arbitraries.doubles().between(0.05, 0.9).flatMap(density ->
                    Arbitraries.doubles().between(0, 1).list().ofSize(g.size()).map(u -> {
                        boolean[] m = new boolean[g.size()];
                        for (int i = 0; i < m.length; i++) {
                            m[i] = u.get(i) < density;
                        }
                        return m;
                    }));
            return Combinators.combine(mask, mask).as((a, b) -> new Pair(g, a, b));
        });
    }

    @Property(tries = 300)
    void distanceTransformEqualsBruteForce(@ForAll("pairs") Pair p) {
        DistanceGrid g = p.grid();
        double[] edt = DistanceTransform.squared(p.a(), g);
        for (int i = 0; i < g.size(); i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < g.size(); j++) {
                if (p.a()[j]) {
                    best = Math.min(best, squaredDistance(g, i, j));
                }
            }
            if (best == Double.POSITIVE_INFINITY) {
                assertThat(edt[i]).isEqualTo(best);
            } else {
                assertThat(edt[i]).isCloseTo(best, within(1e-9 * (1 + best)));
            }
        }
    }

    @Property(tries = 300)
    void diceIsSymmetricAndBetweenZeroAndOne(@ForAll("pairs") Pair p) {
        double ab = SegmentationMetrics.dice(p.a(), p.b());
        assertThat(ab).isEqualTo(SegmentationMetrics.dice(p.b(), p.a())).isBetween(0.0, 1.0);
        assertThat(SegmentationMetrics.score(p.a(), p.b(), p.grid(), 1).dice().value()).isEqualTo(ab);
    }

    @Property(tries = 300)
    void nsdNeverFallsAsTheToleranceGrows(@ForAll("pairs") Pair p, @ForAll @DoubleRange(min = 0, max = 6) double t1,
                                          @ForAll @DoubleRange(min = 0, max = 6) double t2) {
        if (Masks.count(p.a()) == 0 || Masks.count(p.b()) == 0) {
            return;
        }
        SurfaceDistances d = SurfaceDistances.between(p.a(), p.b(), p.grid());
        double lo = Math.min(t1, t2);
        double hi = Math.max(t1, t2);
        assertThat(d.nsd(lo)).isLessThanOrEqualTo(d.nsd(hi)).isBetween(0.0, 1.0);
        assertThat(d.nsd(d.hausdorff())).isEqualTo(1.0);
    }

    @Property(tries = 300)
    void hd95NeverExceedsTheHausdorffDistance(@ForAll("pairs") Pair p) {
        if (Masks.count(p.a()) == 0 || Masks.count(p.b()) == 0) {
            return;
        }
        SurfaceDistances d = SurfaceDistances.between(p.a(), p.b(), p.grid());
        assertThat(d.hd95()).isLessThanOrEqualTo(d.hausdorff()).isGreaterThanOrEqualTo(0);
        // And it is the same measured from either side.
        assertThat(SurfaceDistances.between(p.b(), p.a(), p.grid()).hd95()).isEqualTo(d.hd95());
        // The Hausdorff distance is the brute-force maximum over boundary voxels of the minimum.
        assertThat(d.hausdorff()).isCloseTo(bruteHausdorff(p), within(1e-9));
    }

    @Property(tries = 300)
    void aurocIsTheShareOfCorrectlyOrderedPairs(@ForAll("pairs") Pair p) {
        // Scores from the first mask's voxels in steps of 0.25 (many ties), labels from the second.
        int n = p.grid().size();
        double[] scores = new double[n];
        boolean[] positive = p.b();
        for (int i = 0; i < n; i++) {
            scores[i] = (i % 5) * 0.25 + (p.a()[i] ? 0.25 : 0);
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (positive[i] && !positive[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        double auroc = ClassificationMetrics.auroc(scores, positive);
        if (pairs == 0) {
            assertThat(auroc).isNaN();
        } else {
            assertThat(auroc).isCloseTo(wins / pairs, within(1e-12));
        }
    }

    private static double bruteHausdorff(Pair p) {
        DistanceGrid g = p.grid();
        boolean[] ba = Masks.boundary(p.a(), g);
        boolean[] bb = Masks.boundary(p.b(), g);
        return Math.sqrt(Math.max(directedMax(g, ba, bb), directedMax(g, bb, ba)));
    }

    private static double directedMax(DistanceGrid g, boolean[] from, boolean[] to) {
        double worst = 0;
        for (int i = 0; i < from.length; i++) {
            if (!from[i]) {
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < to.length; j++) {
                if (to[j]) {
                    best = Math.min(best, squaredDistance(g, i, j));
                }
            }
            worst = Math.max(worst, best);
        }
        return worst;
    }

    private static double squaredDistance(DistanceGrid g, int i, int j) {
        int[] a = {i % g.nx(), (i / g.nx()) % g.ny(), i / (g.nx() * g.ny())};
        int[] b = {j % g.nx(), (j / g.nx()) % g.ny(), j / (g.nx() * g.ny())};
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            double d = (a[k] - b[k]) * g.spacing(k);
            sum += d * d;
        }
        return sum;
    }
}
