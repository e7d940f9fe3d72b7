package org.brainfm.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.records.Records;
import org.brainfm.records.ResultRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm export}: every aggregate and per-case result, as CSV or JSON. */
@Command(
        name = "export",
        header = "Writes all aggregates and per-case results as CSV or JSON.",
        mixinStandardHelpOptions = true,
        description = {
            "Writes all recorded results: the aggregates (value, 95 %% CI, n) and every case's",
            "metric values with their flags (missing, invalid), each with its run, run kind,",
            "model card or team and entry, and task. CSV has one row per result with a",
            "'level' column (aggregate|case); JSON has arrays 'aggregates' and 'cases'.",
        },
        footer = {"", "Example:", "  brainfm export --format csv --task infarct -o infarct.csv",
                  "  brainfm export --format json > results.json"})
public final class ExportCommand implements Callable<Integer> {
    enum Format { csv, json }

    static final String[] COLUMNS = {"level", "run_id", "run_kind", "card", "team", "entry", "task", "case",
        "metric", "value", "ci_low", "ci_high", "n", "flag"};

    @Mixin
    DbOption db;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|json",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--task", paramLabel = "TASK", description = "Only this task's results (default: all tasks).")
    String task;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!db.exists()) {
            throw new BrainfmException(Records.location(db.url()), "no records there yet; run brainfm first,"
                    + " or point --db at them");
        }
        try (Records records = db.open(spec.commandLine().getErr())) {
            if (task != null && !records.catalog().taskIds().contains(task)) {
                throw new BrainfmException("--task", "no task '" + task + "' in " + records.location()
                        + "; known tasks: " + (records.catalog().taskIds().isEmpty() ? "none" : String.join(", ", records.catalog().taskIds())));
            }
            if (output == null) {
                write(records, spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
            } else {
                writeFile(records);
            }
        }
        return 0;
    }

    /** Writes next to the target and moves it into place: a failed export leaves no half file. */
    private void writeFile(Records records) throws IOException {
        Path target = output.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) {
            throw new BrainfmException(output.toString(), "cannot be written: folder " + target.getParent()
                    + " does not exist");
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (Writer file = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            write(records, file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            if (e instanceof IOException io) {
                throw new BrainfmException(output.toString(), "cannot be written: " + io, e);
            }
            throw e;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private void write(Records records, Writer out) throws IOException {
        if (format == Format.csv) {
            writeCsv(records, out);
        } else {
            writeJson(records, out);
        }
    }

    private void writeCsv(Records records, Writer out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String column : COLUMNS) {
            schema.addColumn(column);
        }
        CsvMapper mapper = new CsvMapper();
        mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (SequenceWriter rows = mapper.writer(schema.build()).writeValues(out)) {
            records.results().export(task, row -> {
                try {
                    rows.write(values(row));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private void writeJson(Records records, Writer out) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("database", records.location());
            json.writeStringField("task", task);
            json.writeArrayFieldStart("aggregates");
            boolean[] inCases = {false};
            records.results().export(task, row -> {
                try {
                    if (!inCases[0] && row.level().equals(ResultRow.CASE)) {
                        json.writeEndArray();
                        json.writeArrayFieldStart("cases");
                        inCases[0] = true;
                    }
                    json.writeStartObject();
                    Object[] values = values(row);
                    for (int i = 0; i < COLUMNS.length; i++) {
                        if (values[i] != null && i > 0) {
                            json.writeObjectField(COLUMNS[i], values[i]);
                        }
                    }
                    json.writeEndObject();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!inCases[0]) {
                json.writeEndArray();
                json.writeArrayFieldStart("cases");
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.write('\n');
    }

    private static Object[] values(ResultRow r) {
        return new Object[] {r.level(), r.runId(), r.runKind().id(), r.cardId(), r.team(), r.entry(), r.taskId(),
            r.caseId(), r.metric(), r.score(), r.ciLow(), r.ciHigh(), r.n(), r.flag() == null ? null : r.flag().id()};
    }
}
