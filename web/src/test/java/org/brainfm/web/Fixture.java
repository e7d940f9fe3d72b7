package org.brainfm.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.brainfm.compute.Hardware;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.ClassificationMetrics;
import org.brainfm.metrics.ClassificationScores;
import org.brainfm.metrics.RegressionMetrics;
import org.brainfm.metrics.RegressionScores;
import org.brainfm.metrics.Summary;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CardRow;
import org.brainfm.records.CaseFlag;
import org.brainfm.records.CaseScore;
import org.brainfm.records.DatasetRow;
import org.brainfm.records.EntryKind;
import org.brainfm.records.EntryStatus;
import org.brainfm.records.EpochRow;
import org.brainfm.records.Family;
import org.brainfm.records.NewEntry;
import org.brainfm.records.NewRun;
import org.brainfm.records.NewSubmission;
import org.brainfm.records.Records;
import org.brainfm.records.TaskRow;

/**
 * Realistic records, written through the records API into a real H2 file: one dataset, three
 * tasks of the three kinds, model cards, baseline and submitted entries of several families
 * (one team named like an attack, one team with two entries, one entry scored on one task
 * only, one hidden), pretraining and finetuning runs with training curves, and scoring runs
 * whose per-case results and aggregates (with bootstrap CIs) come from the metrics package.
 */
final class Fixture {
    static final String XSS_TEAM = "<script>alert(1)</script>";
    static final String XSS_ENTRY = "ViT-L <img src=x onerror=alert(2)>";
    static final String SEGMENTATION = "meningioma";
    static final String CLASSIFICATION = "infarct";
    static final String REGRESSION = "brain-age";
    static final int SEGMENTATION_CASES = 30;
    static final int CLASSIFICATION_CASES = 40;
    static final int REGRESSION_CASES = 40;
    static final String TOKEN = "organiser-token-for-tests-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Hardware CPU = Hardware.cpu();
    private static final Hardware GPU = new Hardware(Hardware.Type.GPU, "NVIDIA H200", 1);

    /** The entries written, by their role in the tests. */
    final long unet;
    final long vit;
    final long xss;
    final long labOld;
    final long labNew;
    final long hybrid;
    final long hidden;
    final long unetPretrain;
    /** Scoring runs on the boards, per entry, per task (the superseded one excluded). */
    final Map<Long, Map<String, Long>> boardRuns = new LinkedHashMap<>();
    final long supersededRun;

    static String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("records").toAbsolutePath();
    }

    Fixture(Records records) {
        catalog(records);
        unet = records.entries().add(NewEntry.baseline("brainfm", "U-Net cross-contrast", Family.CNN, "compact-unet"));
        vit = records.entries().add(NewEntry.baseline("brainfm", "ViT-B/16 MAE", Family.TRANSFORMER, "vit-b16"));
        xss = submitted(records, XSS_TEAM, XSS_ENTRY, Family.TRANSFORMER);
        labOld = submitted(records, "Lab A", "ResEnc v1", Family.CNN);
        labNew = submitted(records, "Lab A", "ResEnc v2", Family.CNN);
        hybrid = submitted(records, "Lab B", "Hybrid", Family.HYBRID);
        hidden = submitted(records, "Leaky team", "Leaky", Family.OTHER);

        unetPretrain = pretrain(records, "compact-unet", "cross-contrast-swap", GPU, 12, 0.9, 20, 18_900_000L);
        long vitPretrain = pretrain(records, "vit-b16", "mae", GPU, 12, 1.2, 150, 88_000_000L);

        // quality: how close to the truth an entry's predictions are (1 = perfect)
        supersededRun = score(records, unet, SEGMENTATION, 0.5, 7, null, 18_900_000L);
        scoreAll(records, unet, 0.88, 1, unetPretrain, "compact-unet", 18_900_000L);
        scoreAll(records, vit, 0.80, 2, vitPretrain, "vit-b16", 88_000_000L);
        scoreAll(records, xss, 0.76, 3, null, null, 300_000_000L);
        scoreAll(records, labOld, 0.84, 4, null, null, 102_400_000L);
        scoreAll(records, labNew, 0.70, 5, null, null, 102_400_000L);
        put(hybrid, SEGMENTATION, score(records, hybrid, SEGMENTATION, 0.82, 6, null, 40_000_000L));
        scoreAll(records, hidden, 0.99, 8, null, null, 1_000L);
        boardRuns.remove(hidden);
        records.entries().setHidden(hidden, true);
        for (long e : List.of(unet, vit, xss, labOld, labNew, hybrid)) {
            records.entries().setStatus(e, EntryStatus.SCORED, null);
        }
    }

    static void catalog(Records records) {
        records.catalog().putDataset(new DatasetRow("phantom", "synthetic", "Deterministic brain phantoms with lesions",
                json("{\"subjects\": 120, \"seed\": 7}")));
        records.catalog().putTask(new TaskRow(SEGMENTATION, "phantom", TaskType.SEGMENTATION, "Meningioma-like mass, binary mask",
                json("{\"contrasts\": [\"flair\", \"dwi\"], \"test_cases\": 30, \"public_cases\": true}")));
        records.catalog().putTask(new TaskRow(CLASSIFICATION, "phantom", TaskType.CLASSIFICATION, "Infarct present or not",
                json("{\"contrasts\": [\"flair\", \"dwi\", \"adc\"], \"test_cases\": 40}")));
        records.catalog().putTask(new TaskRow(REGRESSION, "phantom", TaskType.REGRESSION, "Brain age in years",
                json("{\"contrasts\": [\"t1\", \"t2\"], \"test_cases\": 40, \"public_cases\": true}")));
        records.catalog().putCard(new CardRow("compact-unet", Family.CNN, "compact-unet", "cross-contrast-swap", json(
                "{\"name\": \"compact-unet\", \"family\": \"cnn\", \"citation\": \"Gordaliza et al., arXiv 2601.13166\","
                        + " \"pretraining\": {\"objective\": \"cross-contrast-swap\", \"gpu_hours\": 36}}")));
        records.catalog().putCard(new CardRow("vit-b16", Family.TRANSFORMER, "vit3d", "mae", json(
                "{\"name\": \"vit-b16\", \"family\": \"transformer\", \"pretraining\": {\"objective\": \"mae\"}}")));
    }

    private static long submitted(Records records, String team, String name, Family family) {
        long submission = submission(records, team, "submissions/" + team + "/" + name);
        return records.entries().add(NewEntry.submitted(team, name, family, submission));
    }

    /** A received submission of {@code team} from {@code source}, named by the SHA-256 of the source. */
    static long submission(Records records, String team, String source) {
        return submission(records, team, source, "{}");
    }

    /** The same with its manifest (JSON). */
    static long submission(Records records, String team, String source, String manifest) {
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
            return records.submissions().add(new NewSubmission(team, "entry", EntryKind.PREDICTIONS, sha, "/tmp/" + sha, source,
                    manifest, null, null));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long pretrain(Records records, String card, String objective, Hardware devices, int epochs,
            double startLoss, long millis, long parameters) {
        try (ActiveRun run = records.runs().start(NewRun.pretrain(card, objective).withSeed(1)
                .withConfig(json("{\"epochs\": " + epochs + ", \"lr\": 0.0001}")), devices)) {
            for (int e = 0; e < epochs; e++) {
                double loss = startLoss * Math.exp(-0.25 * e) + 0.05;
                run.logEpoch(new EpochRow(e, (e + 1) * 250L, loss, 1e-4, loss * 1.1));
            }
            sleep(millis);
            run.finish(parameters);
            return run.id();
        }
    }

    private void scoreAll(Records records, long entry, double quality, long seed, Long pretrainRun, String card,
            long parameters) {
        for (String task : List.of(SEGMENTATION, CLASSIFICATION, REGRESSION)) {
            Long init = pretrainRun;
            if (pretrainRun != null) {
                try (ActiveRun ft = records.runs().start(NewRun.finetune(card, task, pretrainRun).withSeed(seed), CPU)) {
                    for (int e = 0; e < 5; e++) {
                        ft.logEpoch(e, (e + 1) * 20L, 0.6 * Math.exp(-0.4 * e) + 0.1, 1e-4);
                    }
                    ft.finish(parameters);
                    init = ft.id();
                }
            }
            put(entry, task, score(records, entry, task, quality, seed * 31 + task.length(), init, parameters));
        }
    }

    private void put(long entry, String task, long run) {
        boardRuns.computeIfAbsent(entry, k -> new LinkedHashMap<>()).put(task, run);
    }

    /** A scoring run with per-case results and aggregates computed by the metrics package. */
    static long score(Records records, long entry, String task, double quality, long seed, Long init, long parameters) {
        return score(records, entry, task, quality, seed, init, parameters, null);
    }

    /** As above, recorded as a scoring run of finetuning seed {@code runSeed} (null: none). */
    static long score(Records records, long entry, String task, double quality, long seed, Long init, long parameters,
            Long runSeed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<CaseScore> cases = new ArrayList<>();
        List<AggregateScore> aggregates = new ArrayList<>();
        switch (task) {
            case SEGMENTATION -> {
                double[] dice = new double[SEGMENTATION_CASES];
                double[] nsd = new double[SEGMENTATION_CASES];
                double[] hd95 = new double[SEGMENTATION_CASES];
                for (int c = 0; c < SEGMENTATION_CASES; c++) {
                    boolean missing = c == 0 && quality < 0.75;
                    dice[c] = missing ? 0 : clamp(quality + rng.nextGaussian() * 0.06);
                    nsd[c] = missing ? 0 : clamp(quality + 0.05 + rng.nextGaussian() * 0.05);
                    hd95[c] = missing ? 350.0 : Math.max(0, (1 - quality) * 40 + rng.nextGaussian() * 2);
                    CaseFlag flag = missing ? CaseFlag.MISSING : null;
                    String id = String.format("sub_%03d", c);
                    cases.add(new CaseScore(id, "dice", dice[c], flag));
                    cases.add(new CaseScore(id, "hd95", hd95[c], flag));
                    cases.add(new CaseScore(id, "nsd", nsd[c], flag));
                }
                aggregates.add(mean("dice", dice));
                aggregates.add(mean("hd95", hd95));
                aggregates.add(mean("nsd", nsd));
            }
            case CLASSIFICATION -> {
                double[] labels = new double[CLASSIFICATION_CASES];
                double[] scores = new double[CLASSIFICATION_CASES];
                for (int c = 0; c < CLASSIFICATION_CASES; c++) {
                    labels[c] = c % 3 == 0 ? 0 : 1;
                    double signal = labels[c] == 1 ? quality : 1 - quality;
                    scores[c] = clamp(signal + rng.nextGaussian() * 0.25);
                    boolean right = (scores[c] >= 0.5) == (labels[c] == 1);
                    cases.add(CaseScore.of(String.format("sub_%03d", c), "accuracy", right ? 1 : 0));
                    // as the scorer stores it: the probability with the case's label beside it
                    cases.add(CaseScore.of(String.format("sub_%03d", c), "probability", scores[c]).withTruth(labels[c]));
                }
                ClassificationScores all = ClassificationMetrics.score(scores, labels);
                aggregates.add(whole("accuracy", all.accuracy().value(), labels.length,
                        idx -> ClassificationMetrics.score(pick(scores, idx), pick(labels, idx)).accuracy().value()));
                aggregates.add(whole("auroc", all.auroc().value(), labels.length,
                        idx -> ClassificationMetrics.score(pick(scores, idx), pick(labels, idx)).auroc().value()));
            }
            default -> {
                double[] truth = new double[REGRESSION_CASES];
                double[] predicted = new double[REGRESSION_CASES];
                for (int c = 0; c < REGRESSION_CASES; c++) {
                    truth[c] = 20 + c * 1.5;
                    predicted[c] = truth[c] + rng.nextGaussian() * (1 - quality) * 30;
                    cases.add(CaseScore.of(String.format("sub_%03d", c), "mae", Math.abs(predicted[c] - truth[c])));
                }
                RegressionScores all = RegressionMetrics.score(predicted, truth);
                aggregates.add(whole("mae", all.mae().value(), truth.length,
                        idx -> RegressionMetrics.score(pick(predicted, idx), pick(truth, idx)).mae().value()));
                aggregates.add(whole("pearson_r", all.pearson().value(), truth.length,
                        idx -> RegressionMetrics.score(pick(predicted, idx), pick(truth, idx)).pearson().value()));
            }
        }
        NewRun spec = NewRun.score(entry, task).withInit(init);
        try (ActiveRun run = records.runs().start(runSeed == null ? spec : spec.withSeed(runSeed), CPU)) {
            run.writeResults(task, cases, aggregates);
            run.finish(parameters);
            return run.id();
        }
    }

    private static AggregateScore mean(String metric, double[] values) {
        Summary s = Bootstrap.mean(values, Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
        return new AggregateScore(metric, s.value(), s.low(), s.high(), s.cases());
    }

    private static AggregateScore whole(String metric, double value, int n,
            java.util.function.ToDoubleFunction<int[]> statistic) {
        Summary s = Bootstrap.statistic(n, statistic, 200, Bootstrap.DEFAULT_SEED);
        return new AggregateScore(metric, value, s.low(), s.high(), n);
    }

    private static double[] pick(double[] values, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
