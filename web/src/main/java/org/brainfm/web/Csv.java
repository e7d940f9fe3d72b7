package org.brainfm.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.Records;
import org.brainfm.records.ResultRow;

/**
 * CSV downloads: the overall board, each task's board, and every public per-case result
 * (the cases of the scoring runs on the boards: shown entries' latest run of each seed). Quoting as
 * RFC 4180, by Jackson's CSV writer.
 *
 * <p>A spreadsheet runs a cell that starts with {@code = + - @}, a tab or a carriage return as
 * a formula, and names come from outside: every text cell that starts so gets a single quote in
 * front (OWASP's advice), which spreadsheets show as text. Numbers are written as numbers.
 */
final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper();
    private static final String FORMULA_STARTS = "=+-@\t\r";

    static {
        MAPPER.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private Csv() {}

    static byte[] overall(Snapshot s, Map<Long, RankInterval> intervals) {
        List<String> columns = new ArrayList<>(List.of("position", "entry_id", "team", "entry", "family", "baseline",
                "parameters", "gpu_hours", "device_hours", "claimed_gpu_hours"));
        s.rankedTasks.forEach(t -> columns.add("rank_" + t));
        columns.addAll(List.of("mean_rank", "rank_ci_low", "rank_ci_high"));
        List<List<Object>> rows = new ArrayList<>();
        for (OverallStanding r : s.overall) {
            List<Object> row = new ArrayList<>(List.of(r.position(), r.entryId(), r.team(), r.entry(), r.family().id(),
                    r.baseline()));
            row.add(r.parameters());
            row.add(r.compute().gpuHours());
            row.add(r.compute().deviceHours());
            row.add(r.claimedGpuHours());
            s.rankedTasks.forEach(t -> row.add(nan(r.taskRank(t))));
            row.add(nan(r.meanRank()));
            RankInterval ci = intervals == null ? null : intervals.get(r.entryId());
            row.add(ci == null ? null : ci.low());
            row.add(ci == null ? null : ci.high());
            rows.add(row);
        }
        return write(columns, rows);
    }

    static byte[] task(TaskBoard board) {
        List<String> columns = new ArrayList<>(List.of("position", "task_rank", "entry_id", "team", "entry", "family",
                "baseline", "run_id", "parameters", "gpu_hours", "device_hours"));
        for (Metric m : board.metrics()) {
            columns.addAll(List.of(m.key(), m.key() + "_ci_low", m.key() + "_ci_high", m.key() + "_n", m.key() + "_sd",
                    m.key() + "_seeds"));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (TaskStanding r : board.rows()) {
            List<Object> row = new ArrayList<>(List.of(r.position()));
            row.add(nan(r.taskRank()));
            row.addAll(List.of(r.row().entryId(), r.row().team(), r.row().entry(), r.row().family().id(),
                    r.row().baseline(), r.row().runId()));
            row.add(r.row().parameters());
            row.add(r.compute().gpuHours());
            row.add(r.compute().deviceHours());
            for (Metric m : board.metrics()) {
                AggregateScore a = r.score(m);
                row.add(a == null ? null : a.score());
                row.add(a == null ? null : a.ciLow());
                row.add(a == null ? null : a.ciHigh());
                row.add(a == null ? null : a.n());
                row.add(a == null ? null : a.sd());
                row.add(a == null ? null : a.seeds());
            }
            rows.add(row);
        }
        return write(columns, rows);
    }

    /**
     * Writes the public per-case results of one task, or of every task when {@code taskId} is
     * null: the cases of the runs on the boards of tasks whose case results are public (datasets.yaml's
     * {@code public-cases}); a hidden test set's cases are never written.
     */
    static void cases(Snapshot s, Records records, String taskId, OutputStream out) throws IOException {
        Map<Long, TaskStanding> byRun = new HashMap<>();
        for (TaskBoard b : s.boards.values()) {
            if (!b.task().casesArePublic()) {
                continue;
            }
            for (TaskStanding r : b.rows()) {
                r.row().seedRuns().forEach(sr -> byRun.put(sr.runId(), r));
            }
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String c : List.of("task", "entry_id", "team", "entry", "run_id", "case", "metric", "value", "flag")) {
            schema.addColumn(c);
        }
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (SequenceWriter rows = MAPPER.writer(schema.build()).writeValues(writer)) {
            records.results().export(taskId, r -> {
                TaskStanding row = byRun.get(r.runId());
                if (row == null || !r.level().equals(ResultRow.CASE)) {
                    return;
                }
                try {
                    rows.write(cells(Arrays.asList(r.taskId(), row.row().entryId(), row.row().team(), row.row().entry(),
                        r.runId(), r.caseId(), r.metric(), r.score(), r.flag() == null ? null : r.flag().id())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        writer.flush();
    }

    private static byte[] write(List<String> columns, List<List<Object>> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        columns.forEach(schema::addColumn);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
                SequenceWriter out = MAPPER.writer(schema.build()).writeValues(writer)) {
            for (List<Object> row : rows) {
                out.write(cells(row));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The cells of a row as a spreadsheet may open them: no text cell starts a formula. */
    private static Object[] cells(List<Object> row) {
        return row.stream().map(v -> v instanceof String text && !text.isEmpty()
                && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : v).toArray();
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
