package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.pretrain.TinyCorpus;
import org.brainfm.records.EpochRow;
import org.brainfm.records.Records;
import org.brainfm.records.RunRow;
import org.brainfm.records.RunStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brainfm pretrain} end to end on the tiny phantom: output, files, records, resume, errors. */
class PretrainCommandTest {
    @TempDir
    static Path tmp;

    static Path datasets;
    static String db;

    @BeforeAll
    static void setUp() throws IOException {
        datasets = TinyCorpus.datasetsFile(tmp);
        db = "jdbc:h2:file:" + tmp.resolve("records");
    }

    /** Three epochs of two one-patch steps of the mini U-Net with MAE, into {@code out}. */
    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--card", TinyCorpus.BASELINES.resolve("compact-unet.yaml").toString(),
                "--objective", "mae", "--datasets", datasets.toString(), "--data", TinyCorpus.NAME, "--epochs", "3",
                "--iterations", "2", "--batch", "1", "--patch", "32", "--holdout", "2", "--out", out.toString(), "--db", db));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void pretrainsRecordsAndResumesAnInterruptedRun() throws Exception {
        Path out = tmp.resolve("whole");
        CliRun whole = CliRun.of(args(out).toArray(String[]::new));
        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertThat(whole.out()).matches("[0-9]+\\n");
        long id = Long.parseLong(whole.out().trim());
        assertThat(whole.err()).contains("epoch 3/3 loss", "rss ", "held-out (2 subjects", "done: 3 epochs (from 1)");
        assertThat(out.resolve("parameters.bin")).isNotEmptyFile();
        assertThat(out.resolve("encoder/parameters.bin")).isNotEmptyFile();
        JsonNode provenance = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
        assertThat(provenance.toString()).contains("\"" + id + "\"", "compact-unet", "pretraining:mae");
        assertThat(new ObjectMapper().readTree(out.resolve("encoder/provenance.json").toFile()).toString()).contains("\"" + id + "\"");
        JsonNode evaluation = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(evaluation.get("maskedError").asDouble()).isPositive();
        assertThat(evaluation.get("meanBaselineError").asDouble()).isPositive();

        List<EpochRow> reference;
        try (Records records = Records.open(db)) {
            RunRow run = records.runs().get(id).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.DONE);
            assertThat(run.objective()).isEqualTo("mae");
            assertThat(run.parameters()).isPositive();
            assertThat(run.deviceSeconds()).isPositive();
            assertThat(new ObjectMapper().readTree(run.config()).get("lr").asDouble()).isEqualTo(2e-3);
            reference = records.runs().epochs(id);
        }
        assertThat(reference).extracting(EpochRow::epoch).containsExactly(1, 2, 3);
        assertThat(reference).allSatisfy(e -> assertThat(e.loss()).isFinite().isPositive());

        // Kill a second run after its first epoch's checkpoint, then resume it: epochs 2 and 3
        // are trained again and their losses are those of the uninterrupted run.
        Path cut = tmp.resolve("cut");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args(cut));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process child = builder.start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("epoch 1/3 loss")) {
                continue;
            }
            assertThat(line).as("the child run's first epoch").isNotNull();
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(cut.resolve("parameters.bin")).doesNotExist();

        CliRun resumed = CliRun.of(args(cut, "--resume").toArray(String[]::new));
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("done: 2 epochs (from 2)").doesNotContain("epoch 1/3");
        long resumedId = Long.parseLong(resumed.out().trim());
        try (Records records = Records.open(db)) {
            assertThat(records.runs().get(resumedId).orElseThrow().status()).isEqualTo(RunStatus.DONE);
            List<EpochRow> epochs = records.runs().epochs(resumedId);
            assertThat(epochs).extracting(EpochRow::epoch).containsExactly(2, 3);
            for (int k = 0; k < 2; k++) {
                assertThat(epochs.get(k).loss()).isEqualTo(reference.get(k + 1).loss());
            }
        }
        assertThat(Files.readAllBytes(cut.resolve("parameters.bin"))).isEqualTo(Files.readAllBytes(out.resolve("parameters.bin")));
    }

    /**
     * Issue 14: the same seed in fresh processes gives the same weights, bit for bit, also when the
     * processes load the machine together (three at once on CI's two cores; before the convolution's
     * filters were padded, oneDNN's backward broke steps under load and runs differed). Batches of
     * two 32^3 patches, the cross-contrast swap of the measurement; no step may be skipped.
     */
    @Test
    void theSameSeedGivesTheSameWeightsInFreshProcessesRunningAtOnce() throws Exception {
        List<Process> children = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Path out = tmp.resolve("load-" + i);
                outs.add(out);
                List<String> a = with(with(with(args(out), "--objective", "cross-contrast-swap"), "--batch", "2"), "--holdout", "0");
                a = with(with(a, "--epochs", "2"), "--db", "jdbc:h2:file:" + tmp.resolve("load-records-" + i));
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
                command.addAll(a);
                children.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("load-" + i + ".log").toFile()).start());
            }
            for (int i = 0; i < 3; i++) {
                int exit = children.get(i).waitFor();
                String log = Files.readString(tmp.resolve("load-" + i + ".log"));
                assertThat(exit).as(log).isZero();
                assertThat(log).contains("done: 2 epochs (from 1)", " 0 steps skipped");
            }
        } finally {
            for (Process child : children) {
                child.destroyForcibly().waitFor();
            }
        }
        byte[] first = Files.readAllBytes(outs.get(0).resolve("parameters.bin"));
        assertThat(Files.readAllBytes(outs.get(1).resolve("parameters.bin"))).isEqualTo(first);
        assertThat(Files.readAllBytes(outs.get(2).resolve("parameters.bin"))).isEqualTo(first);
    }

    @Test
    void theVitPretrainsAtItsCardsMiniRate() throws Exception {
        Path out = tmp.resolve("vit");
        List<String> a = with(args(out), "--card", TinyCorpus.BASELINES.resolve("vit-b16.yaml").toString());
        a = with(with(a, "--epochs", "1"), "--holdout", "0");
        CliRun vit = CliRun.of(a.toArray(String[]::new));
        assertThat(vit.exitCode()).as(vit.err()).isZero();
        try (Records records = Records.open(db)) {
            String config = records.runs().get(Long.parseLong(vit.out().trim())).orElseThrow().config();
            assertThat(new ObjectMapper().readTree(config).get("lr").asDouble()).isEqualTo(5e-4);
        }
    }

    @Test
    void badOptionsAreOneLineErrors() {
        Path out = tmp.resolve("bad");
        assertOneLine(run(with(args(out), "--objective", "jigsaw")),
                "brainfm: --objective: 'jigsaw' is not implemented (have mae, amaes, anatomy-split, cross-contrast-swap)");
        assertOneLine(run(with(args(out), "--epochs", "0")), "brainfm: --epochs: must be at least 1, not 0");
        List<String> vit = with(args(out), "--objective", "cross-contrast-swap");
        assertOneLine(run(with(vit, "--card", TinyCorpus.BASELINES.resolve("vit-b16.yaml").toString())), "brainfm: " + TinyCorpus.BASELINES.resolve("vit-b16.yaml") + " architecture: only compact-unet has a subject/modality pretraining model");
        assertOneLine(run(args(out, "--resume")), "brainfm: --resume: no checkpoint to resume from in " + out);
        assertThat(out.resolve("parameters.bin")).doesNotExist();
    }

    /** {@code a} with {@code option}'s value replaced. */
    private static List<String> with(List<String> a, String option, String value) {
        a.set(a.indexOf(option) + 1, value);
        return a;
    }

    private static CliRun run(List<String> a) {
        return CliRun.of(a.toArray(String[]::new));
    }

    private static void assertOneLine(CliRun r, String start) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(start).endsWith("\n");
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
    }
}
