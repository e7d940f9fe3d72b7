package org.brainfm.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.DebianPython;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.CaseScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paired difference between two entries: against an independent numpy/sklearn computation
 * (exact permutation p over every swap, paired percentile bootstrap), and the verdict rule and
 * its edge cases worked by hand.
 */
class DifferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Bootstrap.DEFAULT_SEED;

    @TempDir
    Path dir;

    static final double[] DICE_A = {0.81, 0.74, 0.90, 0.66, 0.85, 0.79, 0.72, 0.88, 0.69, 0.83, 0.77, 0.80};
    static final double[] DICE_B = {0.78, 0.76, 0.84, 0.61, 0.86, 0.70, 0.71, 0.80, 0.70, 0.79, 0.70, 0.77};
    static final double[] LABELS = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1};
    static final double[] PROB_A = {0.9, 0.2, 0.7, 0.6, 0.4, 0.1, 0.8, 0.3, 0.55, 0.45, 0.65, 0.35, 0.2, 0.75};
    static final double[] PROB_B = {0.6, 0.5, 0.4, 0.7, 0.6, 0.3, 0.5, 0.6, 0.35, 0.4, 0.45, 0.55, 0.5, 0.6};

    static CaseValues values(double[] v, double[] truth) {
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Double> t = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            values.put(String.format("case-%02d", i), v[i]);
            if (truth != null) {
                t.put(String.format("case-%02d", i), truth[i]);
            }
        }
        return new CaseValues(values, t);
    }

    @Test
    void agreesWithAnExactPermutationTestAndAPairedBootstrapInNumpyAndSklearn() throws Exception {
        Difference dice = Difference.of(TaskType.SEGMENTATION, Metric.DICE, values(DICE_A, null), values(DICE_B, null),
                100_000, 100_000, SEED);
        Difference auroc = Difference.of(TaskType.CLASSIFICATION, Metric.AUROC, values(PROB_A, LABELS),
                values(PROB_B, LABELS), 100_000, 100_000, SEED);
        Path request = dir.resolve("pairs.json");
        JSON.writeValue(request.toFile(), Map.of("dice_a", DICE_A, "dice_b", DICE_B, "labels", LABELS, "prob_a", PROB_A,
                "prob_b", PROB_B));
        Path script = dir.resolve("paired.py");
        Files.writeString(script, """
                import itertools, json, sys
                import numpy as np
                from scipy.stats import rankdata
                from sklearn.metrics import roc_auc_score
                r = json.load(open(sys.argv[1]))
                a, b = np.array(r["dice_a"]), np.array(r["dice_b"])
                y, pa, pb = np.array(r["labels"]), np.array(r["prob_a"]), np.array(r["prob_b"])
                def exact(n, stat):
                    obs = abs(stat(np.zeros(n, bool)))
                    hits = [abs(stat(np.array(s, bool))) >= obs - 1e-12 for s in itertools.product([0, 1], repeat=n)]
                    return float(np.mean(hits))
                d = a - b
                dice_p = exact(len(d), lambda s: np.where(s, -d, d).mean())
                def auc(labels, scores):
                    # Mann-Whitney: the share of (positive, negative) pairs ordered right, ties one half
                    pos = labels == 1
                    n1, n0 = pos.sum(), (~pos).sum()
                    return (rankdata(scores)[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)
                assert abs(auc(y, pa) - roc_auc_score(y, pa)) < 1e-12
                def auc_diff(s):
                    return auc(y, np.where(s, pb, pa)) - auc(y, np.where(s, pa, pb))
                auroc_p = exact(len(y), auc_diff)
                rng = np.random.default_rng(7)
                boot_d, boot_a = [], []
                for _ in range(50000):
                    i = rng.integers(0, len(d), len(d))
                    boot_d.append(d[i].mean())
                    j = rng.integers(0, len(y), len(y))
                    if 0 < y[j].sum() < len(j):
                        boot_a.append(auc(y[j], pa[j]) - auc(y[j], pb[j]))
                print(json.dumps({"dice": d.mean(), "dice_p": dice_p, "dice_ci": list(np.percentile(boot_d, [2.5, 97.5])),
                                  "auroc": auc(y, pa) - auc(y, pb), "auroc_p": auroc_p,
                                  "auroc_ci": list(np.percentile(boot_a, [2.5, 97.5]))}))
                """);
        JsonNode ref = JSON.readTree(DebianPython.run(dir, 600, List.of(script.toString(), request.toString())));

        assertThat(dice.value()).isCloseTo(ref.get("dice").asDouble(), within(1e-12));
        assertThat(dice.cases()).isEqualTo(12);
        // Monte Carlo p against the exact one: 100,000 permutations give a standard error under 0.0016
        assertThat(dice.p()).isCloseTo(ref.get("dice_p").asDouble(), within(0.006));
        assertThat(dice.low()).isCloseTo(ref.get("dice_ci").get(0).asDouble(), within(0.002));
        assertThat(dice.high()).isCloseTo(ref.get("dice_ci").get(1).asDouble(), within(0.002));
        assertThat(auroc.value()).isCloseTo(ref.get("auroc").asDouble(), within(1e-12));
        assertThat(auroc.p()).isCloseTo(ref.get("auroc_p").asDouble(), within(0.006));
        assertThat(auroc.low()).isCloseTo(ref.get("auroc_ci").get(0).asDouble(), within(0.01));
        assertThat(auroc.high()).isCloseTo(ref.get("auroc_ci").get(1).asDouble(), within(0.01));
        assertThat(auroc.untested()).isNull();
    }

    @Test
    void readsThePredictionsUnderTheNamesTheScorerStoresThem() {
        assertThat(CaseValues.source(TaskType.CLASSIFICATION, Metric.AUROC)).isEqualTo(CaseScore.PROBABILITY);
        assertThat(CaseValues.source(TaskType.REGRESSION, Metric.MAE)).isEqualTo(CaseScore.PREDICTION);
        assertThat(CaseValues.source(TaskType.SEGMENTATION, Metric.HD95)).isEqualTo("hd95");
    }

    @Test
    void aVerdictOnlyWhereTheIntervalExcludesZero() {
        // B is A minus a small, noisy amount: each entry's own interval overlaps the other's and so
        // does the difference's with 0
        double[] a = {0.70, 0.82, 0.64, 0.91, 0.58, 0.77, 0.85, 0.69, 0.73, 0.80};
        double[] b = {0.72, 0.79, 0.66, 0.86, 0.60, 0.74, 0.87, 0.65, 0.74, 0.78};
        Difference close = Difference.of(TaskType.SEGMENTATION, Metric.DICE, values(a, null), values(b, null), 2_000,
                10_000, SEED);
        assertThat(close.value()).isGreaterThan(0);
        assertThat(close.low()).isLessThan(0);
        assertThat(close.significant()).isFalse();
        assertThat(close.firstBetter()).isFalse();
        assertThat(close.verdict("the CNN", "the transformer")).startsWith("no significant difference (95 % CI [");

        double[] worse = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            worse[i] = a[i] - 0.10 - 0.01 * (i % 3);
        }
        Difference clear = Difference.of(TaskType.SEGMENTATION, Metric.DICE, values(a, null), values(worse, null), 2_000,
                10_000, SEED);
        assertThat(clear.low()).isGreaterThan(0);
        assertThat(clear.p()).isLessThan(0.01);
        assertThat(clear.verdict("the CNN", "the transformer")).startsWith("the CNN is better (95 % CI [0.1");
        // the same difference fails the verdict once a family's correction lifts p over 0.05
        assertThat(clear.adjusted(0.06).significant()).isFalse();
        // lower is better: a negative difference of HD95 is A's win
        Difference hd95 = Difference.of(TaskType.SEGMENTATION, Metric.HD95, values(worse, null), values(a, null), 2_000,
                10_000, SEED);
        assertThat(hd95.value()).isNegative();
        assertThat(hd95.firstBetter()).isTrue();
    }

    @Test
    void edgeCasesTooFewSharedCasesUnpairedCasesTiesAndNoStoredReference() {
        double[] five = {0.9, 0.8, 0.85, 0.95, 0.9};
        double[] fiveWorse = {0.1, 0.2, 0.15, 0.05, 0.1};
        Difference few = Difference.of(TaskType.SEGMENTATION, Metric.DICE, values(five, null), values(fiveWorse, null),
                1_000, 1_000, SEED);
        assertThat(few.untested()).contains("5 shared cases").contains("needs 6");
        assertThat(few.value()).isCloseTo(0.76, within(1e-12));
        assertThat(few.significant()).isFalse();
        assertThat(few.verdict("the CNN", "the transformer")).startsWith("no verdict (not tested: 5 shared cases");

        // B misses two of A's cases and has one A lacks: 10 shared, 3 unpaired left out
        CaseValues a = values(DICE_A, null);
        Map<String, Double> partial = new LinkedHashMap<>(values(DICE_B, null).values());
        partial.remove("case-00");
        partial.remove("case-01");
        partial.put("case-99", 0.5);
        Difference unpaired = Difference.of(TaskType.SEGMENTATION, Metric.DICE, a, new CaseValues(partial, Map.of()),
                1_000, 1_000, SEED);
        assertThat(unpaired.cases()).isEqualTo(10);
        assertThat(unpaired.unpaired()).isEqualTo(3);
        double expected = 0;
        for (int i = 2; i < DICE_A.length; i++) {
            expected += (DICE_A[i] - DICE_B[i]) / 10;
        }
        assertThat(unpaired.value()).isCloseTo(expected, within(1e-12));

        // identical entries: every permutation ties the observed 0, p = 1, the interval is [0, 0]
        Difference same = Difference.of(TaskType.SEGMENTATION, Metric.DICE, a, a, 1_000, 1_000, SEED);
        assertThat(same.value()).isZero();
        assertThat(same.p()).isEqualTo(1.0);
        assertThat(same.low()).isZero();
        assertThat(same.high()).isZero();
        assertThat(same.significant()).isFalse();

        // classification scored before the references were stored: no test, and why
        Difference old = Difference.of(TaskType.CLASSIFICATION, Metric.AUROC, values(PROB_A, null), values(PROB_B, null),
                1_000, 1_000, SEED);
        assertThat(old.untested()).contains("no stored reference");
        assertThat(old.p()).isNaN();
    }
}
