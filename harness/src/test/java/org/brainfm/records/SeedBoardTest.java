package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.brainfm.records.Fixtures.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.brainfm.compute.Hardware;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.ClassificationMetrics;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.SeedBootstrap;
import org.brainfm.metrics.SeedSummary;
import org.brainfm.metrics.Summary;
import org.brainfm.metrics.TaskScores;
import org.brainfm.score.ResultSet;
import org.brainfm.score.Scorer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The board over an entry's finetuning seeds: mean, spread, n and the two-level interval, on both databases. */
class SeedBoardTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    /** Per-case Dice of seeds 1, 2 and 3 on the same 8 test cases: the seeds disagree (means 0.55, 0.70, 0.85). */
    private static final double[][] DICE = {
        {0.50, 0.55, 0.60, 0.45, 0.65, 0.50, 0.55, 0.60},
        {0.65, 0.70, 0.75, 0.60, 0.80, 0.65, 0.70, 0.75},
        {0.80, 0.85, 0.90, 0.75, 0.95, 0.80, 0.85, 0.90},
    };

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anEntrysScoreIsTheMeanOverItsSeedsWithTheirSpreadAndATwoLevelInterval(Backend backend) {
        try (Records records = Records.open(databases.url(backend, dir))) {
            catalog(records);
            long pretrain = run(records, NewRun.pretrain("unet-mini", "cross-contrast"));
            long entry = records.entries().add(NewEntry.baseline("brainfm", "U-Net mini", Family.CNN, "unet-mini"));
            long other = records.entries().add(NewEntry.baseline("brainfm", "U-Net once", Family.CNN, "unet-mini"));
            List<Summary> caseOnly = new ArrayList<>();
            List<Long> runs = new ArrayList<>();
            score(records, entry, 1L, pretrain, new double[] {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}); // superseded by seed 1's next
            for (int k = 0; k < DICE.length; k++) {
                caseOnly.add(Bootstrap.mean(DICE[k], Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED));
                runs.add(score(records, entry, k + 1L, pretrain, DICE[k]));
            }
            long once = score(records, other, 1L, pretrain, DICE[0]);

            List<BoardRow> board = records.board().forTask("meningioma");
            assertThat(board).extracting(BoardRow::entryId).containsExactly(entry, other);
            BoardRow row = board.get(0);
            assertThat(row.runId()).isEqualTo(runs.get(2));
            assertThat(row.seedRuns()).containsExactly(new BoardRow.SeedRun(1L, runs.get(0)),
                    new BoardRow.SeedRun(2L, runs.get(1)), new BoardRow.SeedRun(3L, runs.get(2)));
            AggregateScore dice = row.metrics().get("dice");
            double[] means = Arrays.stream(DICE).mapToDouble(v -> Arrays.stream(v).average().orElseThrow()).toArray();
            assertThat(means).containsExactly(new double[] {0.55, 0.70, 0.85}, within(1e-12));
            assertThat(dice.score()).isCloseTo(0.70, within(1e-12));
            assertThat(dice.sd()).isCloseTo(0.15, within(1e-12)); // sample sd of 0.55, 0.70, 0.85
            assertThat(dice.seeds()).isEqualTo(3);
            assertThat(dice.n()).isEqualTo(8);
            // The seeds disagree far beyond each one's case noise: the interval is wider than any seed's own.
            for (Summary s : caseOnly) {
                assertThat(dice.ciHigh() - dice.ciLow()).isGreaterThan(2 * (s.high() - s.low()));
            }
            assertThat(dice.ciLow()).isLessThan(0.70);
            assertThat(dice.ciHigh()).isGreaterThan(0.70);
            SeedSummary expected = SeedBootstrap.means(List.of(DICE), Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
            assertThat(dice.ciLow()).isEqualTo(expected.low());
            assertThat(dice.ciHigh()).isEqualTo(expected.high());
            // Three seeds from one pretraining: the pretraining's compute is counted once.
            double seconds = seconds(records, pretrain);
            for (long r : runs) {
                seconds += seconds(records, r) + seconds(records, records.runs().get(r).orElseThrow().initRunId());
            }
            assertThat(row.deviceHours()).isCloseTo(seconds / 3600, within(1e-12));

            // One seed: the run's stored aggregate as it is, today's case bootstrap.
            BoardRow single = board.get(1);
            assertThat(single.runId()).isEqualTo(once);
            assertThat(single.metrics().get("dice")).isEqualTo(new AggregateScore("dice", caseOnly.get(0).value(), caseOnly.get(0).low(),
                    caseOnly.get(0).high(), 8));
            assertThat(single.metrics().get("dice").seeds()).isEqualTo(1);

            // A hidden seed run leaves the mean; the others stay.
            records.runs().setHidden(runs.get(2), true);
            AggregateScore two = records.board().forTask("meningioma").get(0).metrics().get("dice");
            assertThat(two.seeds()).isEqualTo(2);
            assertThat(two.score()).isCloseTo(0.625, within(1e-12));
        }
    }

    /**
     * A metric of the whole test set over seeds is recomputed on each resample from the stored
     * probabilities and labels: its interval is the exact two-level bootstrap, so it stays within
     * what an AUROC can be even where every seed sits near 1 (the demo's infarct entry, whose
     * earlier normal approximation from each seed's own interval reached 1.0019).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aWholeSetMetricOverSeedsIsRecomputedFromTheStoredPredictions(Backend backend) {
        double[] labels = new double[40];
        double[][] probabilities = new double[3][40];
        Random rnd = new Random(5);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            for (int k = 0; k < probabilities.length; k++) {
                // seed k separates the classes a little less cleanly the lower its margin
                probabilities[k][i] = Math.min(1, Math.max(0, 0.5 + (labels[i] - 0.5) * (0.45 + 0.15 * k) + 0.15 * rnd.nextGaussian()));
            }
        }
        probabilities[1][3] = Double.NaN; // an invalid prediction, scored worst
        try (Records records = Records.open(databases.url(backend, dir))) {
            catalog(records);
            long pretrain = run(records, NewRun.pretrain("unet-mini", "cross-contrast"));
            long entry = records.entries().add(NewEntry.baseline("brainfm", "U-Net mini", Family.CNN, "unet-mini"));
            List<AggregateScore> own = new ArrayList<>();
            for (int k = 0; k < probabilities.length; k++) {
                own.add(scoreClassification(records, entry, k + 1L, pretrain, probabilities[k], labels));
            }
            AggregateScore auroc = records.board().forTask("infarct").get(0).metrics().get("auroc");
            assertThat(auroc.seeds()).isEqualTo(3);
            assertThat(auroc.score()).isCloseTo(own.stream().mapToDouble(AggregateScore::score).average().orElseThrow(), within(1e-12));
            assertThat(own).allSatisfy(o -> assertThat(o.score()).isGreaterThan(0.9));
            // The case ids sort as case-00 ... case-39, the order the scorer wrote them in: the same cases, resampled alike.
            SeedSummary expected = SeedBootstrap.statistic(new int[] {40, 40, 40}, (k, idx) -> ClassificationMetrics.score(
                    TaskScores.pick(probabilities[k], idx), TaskScores.pick(labels, idx)).auroc().value(),
                    Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
            assertThat(auroc.ciLow()).isEqualTo(expected.low());
            assertThat(auroc.ciHigh()).isEqualTo(expected.high()).isLessThanOrEqualTo(1);
            assertThat(auroc.sd()).isEqualTo(expected.sd());
        }
    }

    /** A finetuning run of the seed, then its scoring run of the probabilities as score.Scorer writes one; its AUROC. */
    private static AggregateScore scoreClassification(Records records, long entry, long seed, long pretrain, double[] probabilities,
            double[] labels) {
        long finetune = run(records, NewRun.finetune("unet-mini", "infarct", pretrain).withSeed(seed));
        try (ActiveRun run = records.runs().start(NewRun.score(entry, "infarct").withInit(finetune).withSeed(seed),
                Hardware.cpu())) {
            List<String> ids = IntStream.range(0, labels.length).mapToObj(i -> String.format("case-%02d", i)).toList();
            ResultSet scored = new Scorer(Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED)
                    .classification(ids, probabilities, labels, List.of(Metric.AUROC, Metric.ACCURACY));
            run.writeResults("infarct", scored.cases(), scored.aggregates());
            run.finish(1_000L);
            return scored.aggregates().get(0);
        }
    }

    private static long run(Records records, NewRun spec) {
        try (ActiveRun run = records.runs().start(spec, Hardware.cpu())) {
            RecordsTest.burnCpu(20);
            run.finish(1_000L);
            return run.id();
        }
    }

    /** A finetuning run of the seed, then its scoring run with the given per-case Dice and its case-bootstrap aggregate. */
    private static long score(Records records, long entry, long seed, long pretrain, double[] dice) {
        long finetune = run(records, NewRun.finetune("unet-mini", "meningioma", pretrain).withSeed(seed));
        try (ActiveRun run = records.runs().start(NewRun.score(entry, "meningioma").withInit(finetune).withSeed(seed),
                Hardware.cpu())) {
            List<CaseScore> cases = new ArrayList<>();
            for (int i = 0; i < dice.length; i++) {
                cases.add(CaseScore.of("case-" + i, "dice", dice[i]));
            }
            Summary s = Bootstrap.mean(dice, Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
            run.writeResults("meningioma", cases, List.of(new AggregateScore("dice", s.value(), s.low(), s.high(), dice.length)));
            run.finish(1_000L);
            return run.id();
        }
    }

    private static double seconds(Records records, long run) {
        return records.runs().get(run).orElseThrow().deviceSeconds();
    }
}
