package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brainfm.compute.Hardware;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CaseFlag;
import org.brainfm.records.CaseScore;
import org.brainfm.records.Family;
import org.brainfm.records.Fixtures;
import org.brainfm.records.NewEntry;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brainfm runs} and {@code brainfm export} over records written through the repository. */
class RecordsCommandsTest {
    @TempDir
    Path dir;

    private String url;
    private long pretrainId;
    private long scoreId;

    @BeforeEach
    void writeRecords() {
        url = Fixtures.fileUrl(dir);
        try (Records records = Records.open(url)) {
            Fixtures.catalog(records);
            try (ActiveRun run = records.runs().start(NewRun.pretrain("unet-mini", "cross-contrast")
                    .withConfig(Fixtures.json("{\"epochs\": 3}")), new Hardware(Hardware.Type.CPU, "Test CPU", 1))) {
                run.logEpoch(0, 5, 0.8, 1e-4);
                run.finish(20_000_000L);
                pretrainId = run.id();
            }
            long entry = records.entries().add(NewEntry.submitted("team-a", "vit, \"large\"", Family.TRANSFORMER,
                    Fixtures.submission(records, "team-a", "submissions/a")));
            try (ActiveRun run = records.runs().start(NewRun.score(entry, "infarct"), Hardware.cpu())) {
                run.writeResults("infarct", List.of(CaseScore.of("sub_1", "auroc", 0.25),
                                new CaseScore("sub_2", "auroc", 0.0, CaseFlag.MISSING)),
                        List.of(new AggregateScore("auroc", 0.125, 0.0, 0.25, 2)));
                run.finish(null);
                scoreId = run.id();
            }
            try (ActiveRun run = records.runs().start(NewRun.finetune("unet-mini", "meningioma", pretrainId), Hardware.cpu())) {
                run.writeResults("meningioma", List.of(CaseScore.of("sub_9", "dice", 0.9)),
                        List.of(new AggregateScore("dice", 0.9, null, null, 1)));
                run.fail("out of memory", 20_000_000L);
            }
        }
    }

    @Test
    void runsAsJsonHasOneObjectPerRunWithStatusAndCompute() throws Exception {
        Result r = brainfm("runs", "--json", "--db", url);
        assertThat(r.code).isZero();
        assertThat(r.err).isEmpty();
        JsonNode runs = new ObjectMapper().readTree(r.out);
        assertThat(runs.isArray()).isTrue();
        assertThat(runs).hasSize(3);
        JsonNode first = runs.get(0);
        for (String field : List.of("id", "kind", "card", "task", "status", "started", "ended", "device",
                "wall_seconds", "device_seconds", "parameters")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(first.get("id").asLong()).isEqualTo(pretrainId);
        assertThat(first.get("kind").asText()).isEqualTo("pretrain");
        assertThat(first.get("card").asText()).isEqualTo("unet-mini");
        assertThat(first.get("task").isNull()).isTrue();
        assertThat(first.get("status").asText()).isEqualTo("done");
        assertThat(first.get("hidden").asBoolean(true)).isFalse();
        assertThat(first.get("device").asText()).isEqualTo("Test CPU");
        assertThat(first.get("parameters").asLong()).isEqualTo(20_000_000L);
        assertThat(first.get("device_seconds").asDouble()).isEqualTo(first.get("wall_seconds").asDouble()).isPositive();
        assertThat(first.get("config").get("epochs").asInt()).isEqualTo(3);
        assertThat(runs.get(1).get("entry").asLong()).isPositive();
        assertThat(runs.get(2).get("status").asText()).isEqualTo("failed");
        assertThat(runs.get(2).get("init_run").asLong()).isEqualTo(pretrainId);
        assertThat(runs.get(2).get("error").asText()).isEqualTo("out of memory");
    }

    @Test
    void runsAsATableHasAHeaderAndARowPerRun() {
        Result r = brainfm("runs", "--db", url);
        assertThat(r.code).isZero();
        List<String> lines = r.out.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("ID").contains("STATUS", "DEVICE-H", "PARAMETERS");
        assertThat(lines.get(1)).contains("pretrain", "unet-mini", "done", "Test CPU", "20,000,000");
        assertThat(lines.get(3)).contains("finetune", "meningioma", "failed");
    }

    @Test
    void runsOnAFolderWithoutRecordsSaysSoAndCreatesNothing() throws Exception {
        Path empty = dir.resolve("empty");
        Result r = brainfm("runs", "--json", "--db", "jdbc:h2:file:" + empty.resolve("db"));
        assertThat(r.code).isZero();
        assertThat(new ObjectMapper().readTree(r.out)).isEmpty();
        assertThat(Files.exists(empty)).isFalse();
    }

    @Test
    void exportCsvOfOneTaskHasItsAggregatesThenItsCases() throws Exception {
        Result r = brainfm("export", "--format", "csv", "--task", "infarct", "--db", url);
        assertThat(r.code).isZero();
        List<Map<String, String>> rows = csv(r.out);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsEntry("level", "aggregate").containsEntry("run_id", String.valueOf(scoreId))
                .containsEntry("run_kind", "score").containsEntry("team", "team-a")
                .containsEntry("entry", "vit, \"large\"").containsEntry("task", "infarct")
                .containsEntry("metric", "auroc").containsEntry("value", "0.125").containsEntry("ci_low", "0.0")
                .containsEntry("ci_high", "0.25").containsEntry("n", "2").containsEntry("case", "");
        assertThat(rows.get(1)).containsEntry("level", "case").containsEntry("case", "sub_1")
                .containsEntry("value", "0.25").containsEntry("flag", "");
        assertThat(rows.get(2)).containsEntry("case", "sub_2").containsEntry("value", "0.0")
                .containsEntry("flag", "missing");
    }

    @Test
    void exportJsonOfAllTasksToAFile() throws Exception {
        Path file = dir.resolve("out/results.json");
        Files.createDirectories(file.getParent());
        Result r = brainfm("export", "--format", "json", "-o", file.toString(), "--db", url);
        assertThat(r.code).isZero();
        assertThat(r.out).isEmpty();
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("aggregates")).hasSize(2);
        assertThat(json.get("cases")).hasSize(3);
        JsonNode dice = json.get("aggregates").get(1);
        assertThat(dice.get("task").asText()).isEqualTo("meningioma");
        assertThat(dice.get("card").asText()).isEqualTo("unet-mini");
        assertThat(dice.get("value").asDouble()).isEqualTo(0.9);
        assertThat(dice.has("ci_low")).isFalse();
        assertThat(json.get("cases").get(1).get("flag").asText()).isEqualTo("missing");
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void exportOfAnUnknownTaskNamesTheOptionAndTheKnownTasks() {
        Result r = brainfm("export", "--task", "age", "--db", url);
        assertThat(r.code).isEqualTo(Main.ERROR_EXIT);
        assertThat(r.out).isEmpty();
        assertThat(r.err.strip()).isEqualTo("brainfm: --task: no task 'age' in " + dir.resolve("records.mv.db")
                + "; known tasks: infarct, meningioma");
    }

    @Test
    void exportOfAMissingDatabaseAndABadFormatAreOneLineErrors() {
        Result missing = brainfm("export", "--db", "jdbc:h2:file:" + dir.resolve("none"));
        assertThat(missing.code).isEqualTo(Main.ERROR_EXIT);
        assertThat(missing.err.strip()).isEqualTo("brainfm: " + dir.resolve("none.mv.db")
                + ": no records there yet; run brainfm first, or point --db at them");
        Path nowhere = dir.resolve("no/such/folder/out.csv");
        Result folder = brainfm("export", "-o", nowhere.toString(), "--db", url);
        assertThat(folder.code).isEqualTo(Main.ERROR_EXIT);
        assertThat(folder.err.strip()).isEqualTo("brainfm: " + nowhere + ": cannot be written: folder "
                + nowhere.getParent() + " does not exist");
        Result format = brainfm("export", "--format", "xml", "--db", url);
        assertThat(format.code).isEqualTo(Main.ERROR_EXIT);
        assertThat(format.err.lines().findFirst().orElseThrow()).startsWith("brainfm: export: Invalid value for option '--format'");
    }

    @Test
    void bothCommandsHaveHelpWithAnExample() {
        for (String command : List.of("runs", "export")) {
            Result r = brainfm(command, "--help");
            assertThat(r.code).isZero();
            assertThat(r.out).contains("--db=JDBC-URL", "Example:", "brainfm " + command);
            assertThat(r.err).as("picocli's warnings").isEmpty();
        }
    }

    private static List<Map<String, String>> csv(String text) throws Exception {
        CsvMapper mapper = new CsvMapper();
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
            it.forEachRemaining(rows::add);
        }
        assertThat(text.lines().findFirst().orElseThrow())
                .isEqualTo(String.join(",", ExportCommand.COLUMNS));
        return rows;
    }

    record Result(int code, String out, String err) {}

    static Result brainfm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }
}
