package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brainfm.records.db.Tables.AGGREGATE_RESULT;
import static org.brainfm.records.db.Tables.AUDIT;
import static org.brainfm.records.db.Tables.CASE_RESULT;
import static org.brainfm.records.db.Tables.DATASET;
import static org.brainfm.records.db.Tables.ENTRY;
import static org.brainfm.records.db.Tables.EPOCH_LOG;
import static org.brainfm.records.db.Tables.MODEL_CARD;
import static org.brainfm.records.db.Tables.PHASE;
import static org.brainfm.records.db.Tables.RUN;
import static org.brainfm.records.db.Tables.SUBMISSION;
import static org.brainfm.records.db.Tables.TASK;
import static org.brainfm.records.db.Tables.TEAM;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Hardware;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code brainfm db copy}: a study moves between databases with every id, lineage and board as it was. */
class DatabaseCopyTest {
    static final List<Table<?>> TABLES = List.of(DATASET, TASK, MODEL_CARD, TEAM, PHASE, SUBMISSION, ENTRY, RUN, EPOCH_LOG,
            CASE_RESULT, AGGREGATE_RESULT, AUDIT);

    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @Test
    void anH2StudyGoesToPostgresqlAndBackWithEveryRowIdAndBoardAsItWas() {
        String laptop = databases.url(Backend.H2, dir, "laptop");
        String cluster = databases.url(Backend.POSTGRESQL, dir);
        String back = databases.url(Backend.H2, dir, "back");
        writeStudy(laptop);

        Map<String, Long> there = DatabaseCopy.copy(laptop, cluster);
        Map<String, Long> andBack = DatabaseCopy.copy(cluster, back);

        Map<String, List<List<Object>>> original = tables(laptop);
        assertThat(there).containsExactlyEntriesOf(counts(original));
        assertThat(andBack).isEqualTo(there);
        assertThat(tables(cluster)).isEqualTo(original);
        assertThat(tables(back)).isEqualTo(original);
        assertSameBoard(cluster, laptop);
        assertSameBoard(back, laptop);
        assertNewRowsFollowTheCopiedIds(cluster, original);
        assertNewRowsFollowTheCopiedIds(back, original);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aCopyKeepsIdsAndLineagesAndRefusesATargetThatHoldsRuns(Backend backend) {
        String source = databases.url(Backend.H2, dir, "source");
        String target = databases.url(backend, dir, "target");
        writeStudy(source);
        try (Records records = Records.open(target)) {
            // a catalog row the target had before: merged, the source's version wins
            records.catalog().putDataset(new DatasetRow("phantom", "elsewhere", "old", Fixtures.json("{}")));
            records.catalog().putDataset(new DatasetRow("local-only", "/data/x", null, Fixtures.json("{}")));
        }
        DatabaseCopy.copy(source, target);
        Map<String, List<List<Object>>> copied = tables(target);
        Map<String, List<List<Object>>> expected = tables(source);
        assertThat(copied.get(DATASET.getName())).hasSize(2).containsAll(expected.get(DATASET.getName()));
        Map<String, List<List<Object>>> rest = new LinkedHashMap<>(copied);
        rest.remove(DATASET.getName());
        expected.remove(DATASET.getName());
        assertThat(rest).isEqualTo(expected);
        try (Records records = Records.open(target)) {
            RunRow score = records.runs().all().stream().filter(r -> r.kind() == RunKind.SCORE && r.initRunId() != null)
                    .findFirst().orElseThrow();
            RunRow finetune = records.runs().get(score.initRunId()).orElseThrow();
            assertThat(finetune.kind()).isEqualTo(RunKind.FINETUNE);
            assertThat(records.runs().get(finetune.initRunId()).orElseThrow().kind()).isEqualTo(RunKind.PRETRAIN);
            assertThat(records.submissions().all()).anySatisfy(s -> assertThat(s.initRunId()).isEqualTo(finetune.id()));
        }

        String location = Records.location(target);
        assertThatThrownBy(() -> DatabaseCopy.copy(source, target))
                .isInstanceOf(BrainfmException.class)
                .hasMessage(location + ": already holds 6 runs, 2 entries and 2 submissions; db copy only fills a"
                        + " database without them, so that every id stays as it was: give a new H2 file or a new"
                        + " PostgreSQL database (createdb -O USER NAME)");
        assertThat(tables(target)).as("the refused copy changed nothing").isEqualTo(copied);
    }

    @Test
    void aCopyNeedsASourceAndAnotherTarget() {
        String source = databases.url(Backend.H2, dir, "source");
        assertThatThrownBy(() -> DatabaseCopy.copy(source, databases.url(Backend.H2, dir, "target")))
                .isInstanceOf(BrainfmException.class)
                .hasMessage(dir.resolve("source.mv.db") + ": does not exist: there is nothing to copy (check --from)");
        assertThatThrownBy(() -> DatabaseCopy.copy(source, source + ";AUTO_SERVER=TRUE"))
                .isInstanceOf(BrainfmException.class)
                .hasMessage("--to: is the same database as --from (" + dir.resolve("source.mv.db") + "); give another one");
    }

    /**
     * A study as it grows on a laptop: catalog, pretraining -> finetuning -> scoring lineage, a
     * baseline and a submitted entry (whose submission starts from the finetuning run), curves,
     * result sets, a hidden run and a failed one.
     */
    static void writeStudy(String url) {
        try (Records records = Records.open(url)) {
            Fixtures.catalog(records);
            long pretrain;
            try (ActiveRun run = records.runs().start(NewRun.pretrain("unet-mini", "mae").withSeed(3), Hardware.cpu())) {
                run.logEpoch(0, 10, 0.9, 1e-3);
                run.logEpoch(new EpochRow(1, 20, 0.5, 5e-4, 0.6));
                run.finish(1_000L);
                pretrain = run.id();
            }
            long finetune;
            try (ActiveRun run = records.runs().start(NewRun.finetune("unet-mini", "infarct", pretrain)
                    .withConfig(Fixtures.json("{\"lr\": 0.001}")), Hardware.cpu())) {
                run.logEpoch(0, 5, 0.7, 1e-4);
                run.finish(1_000L);
                finetune = run.id();
            }
            long baseline = records.entries().add(NewEntry.baseline("brainfm", "U-Net mini", Family.CNN, "unet-mini"));
            long submission = records.submissions().add(new NewSubmission("team-vit", "ViT", EntryKind.MODEL,
                    Fixtures.sha256("vit"), "/tmp/vit", "vit.zip", "{\"name\": \"ViT\"}", "unet-mini", finetune));
            records.submissions().setStatus(submission, SubmissionStatus.SCORED, List.of("case 3: empty mask"));
            long submitted = records.entries().add(NewEntry.submitted("team-vit", "ViT", Family.TRANSFORMER, submission));
            records.entries().setStatus(submitted, EntryStatus.SCORED, null);
            try (ActiveRun run = records.runs().start(NewRun.score(baseline, "infarct").withInit(finetune), Hardware.cpu())) {
                run.writeResults("infarct", Fixtures.diceCases(7), List.of(new AggregateScore("dice", 0.4, 0.1, 0.7, 7)));
                run.writeResults("meningioma", List.of(new CaseScore("c1", "hd95", null, CaseFlag.INVALID, "no mask")),
                        List.of(new AggregateScore("hd95", null, null, null, 0)));
                run.finish(2_000L);
            }
            try (ActiveRun run = records.runs().start(NewRun.score(submitted, "infarct"), Hardware.cpu())) {
                run.writeResults("infarct", Fixtures.diceCases(3), List.of(new AggregateScore("dice", 0.6, 0.5, 0.7, 3)));
                run.finish(null);
                records.runs().setHidden(run.id(), true);
            }
            // a challenge: a team, a phase, the team's upload scored there, an organiser's action
            TeamRow team = records.teams().add("team-vit").team();
            long phase = records.phases().add(new NewPhase("sanity", "open", List.of("infarct"), EvaluationSplit.SANITY,
                    OffsetDateTime.parse("2026-12-01T00:00Z"), null, 3, 24, true, BoardRule.BEST, null));
            long upload = records.submissions().add(new NewSubmission("team-vit", "ViT", EntryKind.MODEL, Fixtures.sha256("vit-sanity"),
                    "/tmp/vit-sanity", "/tmp/uploads/vit.zip", "{}", null, null).inPhase(team.id(), phase));
            try (ActiveRun run = records.runs().start(NewRun.score(submitted, "infarct").withSubmission(upload, phase), Hardware.cpu())) {
                run.writeResults("infarct", Fixtures.diceCases(2), List.of(new AggregateScore("dice", 0.5, 0.4, 0.6, 2)));
                run.finish(null);
            }
            records.submissions().setStatus(upload, SubmissionStatus.SCORED, List.of());
            records.submissions().chooseFinal(upload);
            records.audit().write("cli:test", "phase added", "sanity");
            try (ActiveRun run = records.runs().start(NewRun.score(submitted, "infarct"), Hardware.cpu())) {
                run.fail("model.onnx unreadable", null);
            }
        }
    }

    /** Every row of every table, in key order; times as instants (each database keeps its own offset). */
    static Map<String, List<List<Object>>> tables(String url) {
        Map<String, List<List<Object>>> tables = new LinkedHashMap<>();
        TestDb.with(url, db -> {
            for (Table<?> table : TABLES) {
                List<List<Object>> rows = new ArrayList<>();
                for (Record r : db.selectFrom(table).orderBy(table.getPrimaryKey().getFields()).fetch()) {
                    List<Object> row = new ArrayList<>();
                    for (Field<?> f : table.fields()) {
                        Object v = r.get(f);
                        row.add(v instanceof OffsetDateTime t ? t.toInstant() : v);
                    }
                    rows.add(row);
                }
                tables.put(table.getName(), rows);
            }
        });
        return tables;
    }

    private static Map<String, Long> counts(Map<String, List<List<Object>>> tables) {
        Map<String, Long> counts = new LinkedHashMap<>();
        tables.forEach((name, rows) -> counts.put(name, (long) rows.size()));
        return counts;
    }

    static List<Object> board(String url) {
        try (Records records = Records.open(url)) {
            return List.of(records.board().forTask("infarct"), records.board().forTask("meningioma"),
                    records.board().changeStamp().lastRun(), records.board().changeStamp().hiddenRuns());
        }
    }

    /**
     * The same board. Compute hours are SQL sums of doubles, whose last bit depends on the order
     * each database adds the lineage's runs in: equal to 12 significant digits.
     */
    private static void assertSameBoard(String url, String reference) {
        Comparator<Double> closeEnough = (a, b) -> Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))
                ? 0 : Double.compare(a, b);
        assertThat(board(url)).usingRecursiveComparison().withComparatorForType(closeEnough, Double.class)
                .isEqualTo(board(reference));
    }

    /** The identity columns restarted past the copied ids: new rows take the next ones. */
    private static void assertNewRowsFollowTheCopiedIds(String url, Map<String, List<List<Object>>> copied) {
        try (Records records = Records.open(url)) {
            long submission = Fixtures.submission(records, "late", "late.zip");
            assertThat(submission).isEqualTo(copied.get("submission").size() + 1L);
            long entry = records.entries().add(NewEntry.submitted("late", "late", Family.OTHER, submission));
            assertThat(entry).isEqualTo(copied.get("entry").size() + 1L);
            try (ActiveRun run = records.runs().start(NewRun.score(entry, "infarct"), Hardware.cpu())) {
                assertThat(run.id()).isEqualTo(copied.get("run").size() + 1L);
                run.finish(null);
            }
        }
    }
}
