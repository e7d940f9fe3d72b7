package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * brainfm against an independent reference (scipy's distance_transform_edt and binary_erosion,
 * sklearn's classification metrics) on random masks, grids and scores.
 */
class ScipyOracleTest {
    @TempDir
    Path dir;

    @Test
    void segmentationAgreesWithScipy() throws Exception {
        Random rnd = new Random(7);
        ScipyOracle oracle = new ScipyOracle(dir);
        List<DistanceGrid> grids = new ArrayList<>();
        List<SurfaceDistances> distances = new ArrayList<>();
        List<SegmentationScores> scores = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            DistanceGrid g = DistanceGrid.of(12 + rnd.nextInt(30), 12 + rnd.nextInt(30), 8 + rnd.nextInt(25),
                    0.4 + 2.6 * rnd.nextDouble(), 0.4 + 2.6 * rnd.nextDouble(), 0.4 + 2.6 * rnd.nextDouble());
            boolean[] ref = blobs(g, rnd);
            boolean[] pred = c % 4 == 3 ? noisy(blobs(g, rnd), rnd) : noisy(ref, rnd);
            double tolerance = 0.5 + 3 * rnd.nextDouble();
            oracle.segmentation(pred, ref, g, tolerance);
            grids.add(g);
            distances.add(SurfaceDistances.between(pred, ref, g));
            scores.add(SegmentationMetrics.score(pred, ref, g, tolerance));
        }
        JsonNode expected = oracle.run().get("segmentation");
        double dice = 0;
        double nsd = 0;
        double hd95 = 0;
        double hausdorff = 0;
        for (int c = 0; c < scores.size(); c++) {
            JsonNode e = expected.get(c);
            SegmentationScores s = scores.get(c);
            SurfaceDistances d = distances.get(c);
            assertThat(d.predToRef()).hasSize(e.get("pred_boundary").asInt());
            assertThat(d.refToPred()).hasSize(e.get("ref_boundary").asInt());
            dice = Math.max(dice, Math.abs(s.dice().value() - e.get("dice").asDouble()));
            nsd = Math.max(nsd, Math.abs(s.nsd().value() - e.get("nsd").asDouble()));
            hd95 = Math.max(hd95, Math.abs(s.hd95().value() - e.get("hd95").asDouble()));
            hausdorff = Math.max(hausdorff, Math.abs(d.hausdorff() - e.get("hausdorff").asDouble()));
        }
        System.out.printf("scipy oracle, %d random cases: max |diff| Dice %.3g, NSD %.3g, HD95 %.3g mm, Hausdorff %.3g mm%n",
                scores.size(), dice, nsd, hd95, hausdorff);
        assertThat(dice).isLessThanOrEqualTo(1e-6);
        assertThat(nsd).isLessThanOrEqualTo(1e-6);
        assertThat(hd95).isLessThanOrEqualTo(1e-9);
        assertThat(hausdorff).isLessThanOrEqualTo(1e-9);
    }

    @Test
    void classificationAndRegressionAgreeWithSklearn() throws Exception {
        Random rnd = new Random(11);
        ScipyOracle oracle = new ScipyOracle(dir);
        List<ClassificationScores> cls = new ArrayList<>();
        List<RegressionScores> reg = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            int n = 5 + rnd.nextInt(300);
            double[] labels = new double[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextDouble() < 0.3 + 0.4 * (c % 3) / 2.0 ? 1 : 0;
                double s = Math.min(1, Math.max(0, 0.5 + 0.25 * labels[i] + 0.3 * rnd.nextGaussian()));
                // Every other set rounded to tenths: many ties, some exactly at the 0.5 threshold.
                scores[i] = c % 2 == 0 ? Math.round(s * 10) / 10.0 : s;
            }
            labels[0] = 1; // both classes present
            labels[1] = 0;
            oracle.classification(scores, labels);
            cls.add(ClassificationMetrics.score(scores, labels));

            double[] truth = new double[n];
            double[] predicted = new double[n];
            for (int i = 0; i < n; i++) {
                truth[i] = 20 + 60 * rnd.nextDouble();
                predicted[i] = truth[i] + 8 * rnd.nextGaussian();
            }
            oracle.regression(predicted, truth);
            reg.add(RegressionMetrics.score(predicted, truth));
        }
        JsonNode expected = oracle.run();
        double[] worst = new double[7];
        for (int c = 0; c < cls.size(); c++) {
            JsonNode e = expected.get("classification").get(c);
            ClassificationScores s = cls.get(c);
            worst[0] = Math.max(worst[0], Math.abs(s.auroc().value() - e.get("auroc").asDouble()));
            worst[1] = Math.max(worst[1], Math.abs(s.averagePrecision().value() - e.get("ap").asDouble()));
            worst[2] = Math.max(worst[2], Math.abs(s.f1().value() - e.get("f1").asDouble()));
            worst[3] = Math.max(worst[3], Math.abs(s.accuracy().value() - e.get("accuracy").asDouble()));
            worst[4] = Math.max(worst[4], Math.abs(s.balancedAccuracy().value() - e.get("balanced_accuracy").asDouble()));
            JsonNode r = expected.get("regression").get(c);
            worst[5] = Math.max(worst[5], Math.abs(reg.get(c).mae().value() - r.get("mae").asDouble()));
            worst[6] = Math.max(worst[6], Math.abs(reg.get(c).pearson().value() - r.get("pearson_r").asDouble()));
        }
        System.out.printf("sklearn oracle, %d sets: max |diff| AUROC %.3g, AP %.3g, F1 %.3g, accuracy %.3g, "
                + "balanced accuracy %.3g, MAE %.3g, Pearson r %.3g%n", cls.size(), worst[0], worst[1], worst[2],
                worst[3], worst[4], worst[5], worst[6]);
        for (double w : worst) {
            assertThat(w).isLessThanOrEqualTo(1e-9);
        }
    }

    /** A few random ellipsoids, some reaching past the grid's edge. */
    static boolean[] blobs(DistanceGrid g, Random rnd) {
        boolean[] m = new boolean[g.size()];
        int count = 1 + rnd.nextInt(3);
        for (int b = 0; b < count; b++) {
            double cx = rnd.nextDouble() * g.nx();
            double cy = rnd.nextDouble() * g.ny();
            double cz = rnd.nextDouble() * g.nz();
            double rx = 2 + rnd.nextDouble() * g.nx() / 3.0;
            double ry = 2 + rnd.nextDouble() * g.ny() / 3.0;
            double rz = 2 + rnd.nextDouble() * g.nz() / 3.0;
            for (int z = 0; z < g.nz(); z++) {
                for (int y = 0; y < g.ny(); y++) {
                    for (int x = 0; x < g.nx(); x++) {
                        double u = (x - cx) / rx;
                        double v = (y - cy) / ry;
                        double w = (z - cz) / rz;
                        if (u * u + v * v + w * w <= 1) {
                            m[g.index(x, y, z)] = true;
                        }
                    }
                }
            }
        }
        m[g.index(g.nx() / 2, g.ny() / 2, g.nz() / 2)] = true; // never empty
        return m;
    }

    /** The mask with a few percent of its voxels flipped: holes, specks and a ragged boundary. */
    static boolean[] noisy(boolean[] mask, Random rnd) {
        boolean[] m = mask.clone();
        for (int i = 0; i < m.length; i++) {
            if (rnd.nextDouble() < 0.03) {
                m[i] = !m[i];
            }
        }
        m[m.length / 2] = true;
        return m;
    }
}
