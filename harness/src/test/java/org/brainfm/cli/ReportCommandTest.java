package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.brainfm.compute.Hardware;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.Summary;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Family;
import org.brainfm.records.Fixtures;
import org.brainfm.records.NewEntry;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.records.TaskRow;
import org.brainfm.score.ResultSet;
import org.brainfm.score.Scorer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brainfm report} end to end on a small records database written through the repository:
 * a segmentation task the CNN clearly wins, a classification task too close to call (its
 * references stored by the scorer), an unscored regression task, a CPU-only entry, and measured
 * GPU-hours set so that the transformer was the cheaper one.
 */
class ReportCommandTest {
    private static final Hardware GPU = new Hardware(Hardware.Type.GPU, "NVIDIA H100", 1);
    private static final int CASES = 12;

    @TempDir
    Path dir;

    private String url;
    private long unetScore;
    private long vitScore;
    private final double[] unetDice = new double[CASES];
    private final double[] vitDice = new double[CASES];

    @BeforeEach
    void writeRecords() throws Exception {
        url = Fixtures.fileUrl(dir);
        List<long[]> seconds = new ArrayList<>();   // run id, device seconds, GPU seconds
        try (Records records = Records.open(url)) {
            Fixtures.catalog(records);
            records.catalog().putTask(new TaskRow("age", "phantom", TaskType.REGRESSION, "brain age",
                    Fixtures.json("{\"contrasts\": [\"t1\"]}")));
            long unet = records.entries().add(NewEntry.baseline("brainfm", "U-Net mini", Family.CNN, "unet-mini"));
            long vit = records.entries().add(NewEntry.baseline("brainfm", "ViT mini", Family.TRANSFORMER, "vit-mini"));
            long lab = records.entries().add(NewEntry.baseline("lab", "lab <cnn>", Family.CNN, "unet-mini"));
            long unetPretrain = finished(records, NewRun.pretrain("unet-mini", "cross-contrast"), GPU, 18_900_000L);
            long vitPretrain = finished(records, NewRun.pretrain("vit-mini", "mae"), GPU, 88_000_000L);
            seconds.add(new long[] {unetPretrain, 36 * 3600, 36 * 3600});
            seconds.add(new long[] {vitPretrain, 10 * 3600, 10 * 3600});
            for (int i = 0; i < CASES; i++) {
                unetDice[i] = 0.80 + 0.01 * (i % 4);
                vitDice[i] = 0.62 + 0.02 * (i % 3);
            }
            double[] labDice = new double[CASES];
            java.util.Arrays.fill(labDice, 0.5);
            unetScore = segmentation(records, unet, finished(records, NewRun.finetune("unet-mini", "meningioma", unetPretrain),
                    GPU, null), GPU, unetDice);
            vitScore = segmentation(records, vit, finished(records, NewRun.finetune("vit-mini", "meningioma", vitPretrain),
                    GPU, null), GPU, vitDice);
            long labScore = segmentation(records, lab, null, Hardware.cpu(), labDice);
            seconds.add(new long[] {labScore, 7200, 0});
            // infarct: the two differ on two of 14 cases only
            double[] labels = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1};
            double[] unetP = {0.9, 0.2, 0.7, 0.6, 0.4, 0.1, 0.8, 0.3, 0.55, 0.45, 0.65, 0.35, 0.2, 0.4};
            double[] vitP = unetP.clone();
            vitP[3] = 0.3;
            vitP[4] = 0.6;
            classification(records, unet, unetPretrain, labels, unetP);
            classification(records, vit, vitPretrain, labels, vitP);
        }
        // measured hours as a real pretraining would have them (the test's runs take milliseconds)
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement zero = c.prepareStatement("UPDATE run SET device_seconds = 0, gpu_seconds = 0");
                PreparedStatement set = c.prepareStatement("UPDATE run SET device_seconds = ?, gpu_seconds = ? WHERE id = ?")) {
            zero.executeUpdate();
            for (long[] s : seconds) {
                set.setDouble(1, s[1]);
                set.setDouble(2, s[2]);
                set.setLong(3, s[0]);
                set.executeUpdate();
            }
        }
    }

    @Test
    void writesTheStudyAsMarkdownAndSelfContainedHtml() throws Exception {
        Path out = dir.resolve("study");
        String[] result = run("report", "--out", out.toString(), "--db", url);
        assertThat(result[2]).as(result[1]).isEqualTo("0");
        assertThat(result[0].strip()).isEqualTo(out.resolve("report.html").toAbsolutePath().toString());
        String md = Files.readString(out.resolve("report.md"));
        String html = Files.readString(out.resolve("report.html"));
        // what the demo prints at its end: the headline and what contradicts it, no task's details
        String headline = DemoCommand.headline(out.resolve("report.md"));
        assertThat(headline).startsWith("## Headline").contains("Task meningioma (Dice): the CNN is better")
                .doesNotContain("\n## Task ");
        // each task's best entry against a model that learnt nothing, in what the demo prints
        assertThat(headline).contains("## Against a model that learnt nothing")
                .contains("Task meningioma: the best entry on Dice, U-Net mini (run " + unetScore + "), 0.8150 [")
                .contains("against 0.0000, what the empty mask scores: above it, its 95 % CI excludes it")
                .contains("Task infarct: the best entry on AUROC, U-Net mini (run ")
                .doesNotContain("Task age: the best entry");

        double difference = mean(unetDice) - mean(vitDice);
        String dice = String.format(Locale.ROOT, "+%.4f", difference);
        // the clear task: a verdict, with the difference computed here
        assertThat(md).contains("Task meningioma (Dice): the CNN is better (95 % CI [")
                .contains("| Dice (headline) | U-Net mini | ViT mini | " + dice + " |");
        // two headline tests (meningioma, infarct): Holm's correction shows
        assertThat(md).contains("Holm-adjusted p = ");
        // the close task: no verdict, its interval reaches 0
        // (the two differ on two cases, both in the CNN's favour: a resample without either differs by 0)
        assertThat(md).contains("Task infarct (Accuracy): no significant difference (95 % CI [0.0000, ");
        // the unscored task is said to be so, not ranked
        assertThat(md).contains("Task age: unscored").contains("Unscored: no entry has a finished, shown scoring run");
        // what goes against the headline, said as such
        assertThat(md).contains("task meningioma: the transformer was cheaper (0.28× the CNN's GPU-hours)");
        assertThat(md).contains("Parameters: the transformer has 4.7× the CNN's");
        // where each board score comes from
        assertThat(md).contains("run " + unetScore).contains("run " + vitScore);
        // hours: one kind per axis, the CPU-only entry on its own plot
        assertThat(md).doesNotContain("GPU or CPU")
                .contains("Not on the GPU-hours, measured plot: lab &lt;cnn&gt;: measured on CPUs only (on the CPU plot)");
        assertThat(html).contains("GPU-hours, measured (log scale)",
                "CPU device-hours (wall-clock × CPU devices), measured (log scale)");

        // self-contained: inline SVG with labelled points, nothing fetched, names escaped
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("<text class=\"name\"").contains(">U-Net mini</text>").contains("lab &lt;cnn&gt;")
                .doesNotContain("lab <cnn>", "<script", "<link", "src=", "href=");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
        try (var plots = Files.list(out.resolve("plots"))) {
            assertThat(plots.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("plot-gpu_hours-")).anyMatch(n -> n.startsWith("plot-cpu_hours-"));
        }
        assertThat(md).contains("](plots/plot-parameters-");
    }

    @Test
    void saysWhatIsWrongInOneLine() {
        String[] missing = run("report", "--out", dir.resolve("x").toString(), "--db", Fixtures.fileUrl(dir.resolve("none")));
        assertThat(missing[2]).isEqualTo("2");
        assertThat(missing[1].strip()).startsWith("brainfm: ").contains("no records there yet").doesNotContain("\n");
        String[] help = run("report", "--help");
        assertThat(help[0]).contains("Writes DIR/report.md", "Example:", "brainfm report --out study");
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {out.toString(), err.toString(), String.valueOf(code)};
    }

    private static long finished(Records records, NewRun spec, Hardware devices, Long parameters) {
        try (ActiveRun run = records.runs().start(spec, devices)) {
            run.finish(parameters);
            return run.id();
        }
    }

    /** A scoring run with per-case Dice, from a finetuning run (null: a team's model). */
    private static long segmentation(Records records, long entry, Long init, Hardware devices, double[] dice) {
        try (ActiveRun run = records.runs().start(NewRun.score(entry, "meningioma").withInit(init), devices)) {
            List<CaseScore> cases = new ArrayList<>();
            for (int i = 0; i < dice.length; i++) {
                cases.add(CaseScore.of(String.format("case-%02d", i), "dice", dice[i]));
            }
            Summary s = Bootstrap.mean(dice, Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED);
            run.writeResults("meningioma", cases, List.of(new AggregateScore("dice", s.value(), s.low(), s.high(), dice.length)));
            run.finish(null);
            return run.id();
        }
    }

    /** A scoring run of probabilities, through the scorer (which stores each case's label beside it). */
    private static void classification(Records records, long entry, long pretrain, double[] labels, double[] p) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            ids.add(String.format("sub_%02d", i));
        }
        ResultSet scored = new Scorer(Bootstrap.DEFAULT_RESAMPLES, Bootstrap.DEFAULT_SEED)
                .classification(ids, p, labels, List.of(Metric.AUROC, Metric.ACCURACY));
        try (ActiveRun run = records.runs().start(NewRun.score(entry, "infarct").withInit(pretrain), GPU)) {
            run.writeResults("infarct", scored.cases(), scored.aggregates());
            run.finish(null);
        }
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }
}
