package org.brainfm.web;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.brainfm.compute.Hardware;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.Summary;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Family;
import org.brainfm.records.NewEntry;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;

/**
 * Fills a records database for scripts/bench-web: the catalog of {@link Fixture} and N
 * submitted entries (CNNs, transformers, some hybrids; 40 teams), each scored on the three
 * tasks with per-case results and aggregates with bootstrap CIs, all written through the
 * records API. Not a test: {@code java ... org.brainfm.web.BenchData <jdbc-url> <entries>}.
 */
public final class BenchData {
    private static final int CASES = 20;
    private static final int RESAMPLES = 200;

    private BenchData() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BenchData <jdbc-url> <entries>");
            System.exit(2);
        }
        int entries = Integer.parseInt(args[1]);
        long started = System.nanoTime();
        Hardware cpu = Hardware.cpu();
        try (Records records = Records.open(args[0])) {
            Fixture.catalog(records);
            SplittableRandom rng = new SplittableRandom(20250923L);
            for (int i = 0; i < entries; i++) {
                Family family = i % 10 == 9 ? Family.HYBRID : i % 2 == 0 ? Family.CNN : Family.TRANSFORMER;
                String team = "team-" + (i % 40);
                long submission = Fixture.submission(records, team, "submissions/bench-" + i);
                long entry = records.entries().add(NewEntry.submitted(team, "model-" + i, family, submission));
                double quality = 0.6 + 0.35 * rng.nextDouble();
                long parameters = family == Family.CNN ? 5_000_000L + rng.nextLong(100_000_000L)
                        : 50_000_000L + rng.nextLong(300_000_000L);
                for (String task : List.of(Fixture.SEGMENTATION, Fixture.CLASSIFICATION, Fixture.REGRESSION)) {
                    score(records, cpu, entry, task, quality, rng, parameters);
                }
                if ((i + 1) % 100 == 0) {
                    System.out.printf("BenchData: %d entries written (%.0f s)%n", i + 1, (System.nanoTime() - started) / 1e9);
                }
            }
        }
    }

    /** One scoring run: a per-case metric per task kind, its mean with a bootstrap CI, one set-level aggregate. */
    private static void score(Records records, Hardware cpu, long entry, String task, double quality,
            SplittableRandom rng, long parameters) {
        String metric = switch (task) {
            case Fixture.SEGMENTATION -> "dice";
            case Fixture.CLASSIFICATION -> "accuracy";
            default -> "mae";
        };
        double[] values = new double[CASES];
        List<CaseScore> cases = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
            double v = switch (metric) {
                case "dice" -> Math.max(0, Math.min(1, quality + rng.nextGaussian() * 0.08));
                case "accuracy" -> rng.nextDouble() < quality ? 1 : 0;
                default -> Math.abs(rng.nextGaussian() * (1 - quality) * 30);
            };
            values[c] = v;
            cases.add(CaseScore.of(String.format("sub_%03d", c), metric, v));
        }
        Summary s = Bootstrap.mean(values, RESAMPLES, Bootstrap.DEFAULT_SEED);
        List<AggregateScore> aggregates = new ArrayList<>(List.of(new AggregateScore(metric, s.value(), s.low(), s.high(), CASES)));
        double second = Math.max(0, Math.min(1, quality + rng.nextGaussian() * 0.05));
        aggregates.add(new AggregateScore(switch (task) {
            case Fixture.SEGMENTATION -> "nsd";
            case Fixture.CLASSIFICATION -> "auroc";
            default -> "pearson_r";
        }, second, second - 0.05, Math.min(1, second + 0.05), CASES));
        try (ActiveRun run = records.runs().start(NewRun.score(entry, task), cpu)) {
            run.writeResults(task, cases, aggregates);
            run.finish(parameters);
        }
    }
}
