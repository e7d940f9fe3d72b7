package org.brainfm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.brainfm.records.Records;
import org.brainfm.records.RunRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm runs}: every recorded run with its status and measured compute. */
@Command(
        name = "runs",
        header = "Lists the recorded runs with their status and compute.",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the recorded runs (pretrain, finetune, score): status, device, wall-clock",
            "seconds, device-hours (wall x devices held, as measured) and parameter count. --json",
            "adds process CPU seconds, busy seconds (training steps synchronised with the device)",
            "and test seconds (a finetuning run scoring its own test cases); docs/records.md.",
        },
        footer = {"", "Example:", "  brainfm runs", "  brainfm runs --json --db jdbc:h2:file:/data/brainfm"})
public final class RunsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Mixin
    DbOption db;

    @Option(names = "--json", description = "One JSON object per run, in an array.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<RunRow> runs;
        if (db.exists()) {
            try (Records records = db.open(err)) {
                runs = records.runs().all();
            }
        } else {
            runs = List.of();
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ArrayNode array = mapper.createArrayNode();
            for (RunRow run : runs) {
                array.add(toJson(mapper, run));
            }
            out.println(mapper.writeValueAsString(array));
        } else if (runs.isEmpty()) {
            out.println("no runs recorded yet in " + Records.location(db.url()));
        } else {
            out.println(table(runs));
        }
        out.flush();
        return 0;
    }

    static ObjectNode toJson(ObjectMapper mapper, RunRow run) throws Exception {
        ObjectNode o = mapper.createObjectNode();
        o.put("id", run.id());
        o.put("kind", run.kind().id());
        o.put("card", run.cardId());
        o.put("entry", run.entryId());
        o.put("objective", run.objective());
        o.put("task", run.taskId());
        o.put("seed", run.seed());
        o.put("init_run", run.initRunId());
        o.put("status", run.status().id());
        o.put("hidden", run.hidden());
        o.put("started", iso(run.started()));
        o.put("ended", iso(run.ended()));
        o.put("host", run.host());
        o.put("device_type", run.deviceType());
        o.put("device", run.deviceName());
        o.put("device_count", run.deviceCount());
        o.put("wall_seconds", run.wallSeconds());
        o.put("device_seconds", run.deviceSeconds());
        o.put("gpu_seconds", run.gpuSeconds());
        o.put("cpu_seconds", run.cpuSeconds());
        o.put("busy_seconds", run.busySeconds());
        o.put("test_seconds", run.testSeconds());
        o.put("peak_memory_bytes", run.peakMemoryBytes());
        o.put("parameters", run.parameters());
        o.put("git_commit", run.gitCommit());
        o.put("error", run.error());
        JsonNode config = mapper.readTree(run.config());
        o.set("config", config);
        return o;
    }

    private static String table(List<RunRow> runs) {
        StringBuilder s = new StringBuilder(String.format("%-5s %-8s %-22s %-14s %-11s %-19s %-19s %-28s %10s %9s %12s",
                "ID", "KIND", "CARD/ENTRY", "TASK", "STATUS", "STARTED", "ENDED", "DEVICE", "WALL-S", "DEVICE-H",
                "PARAMETERS"));
        for (RunRow r : runs) {
            String model = r.cardId() != null ? r.cardId() : r.entryId() != null ? "entry " + r.entryId() : "-";
            String device = (r.deviceCount() > 1 ? r.deviceCount() + " x " : "") + r.deviceName();
            s.append('\n').append(String.format("%-5d %-8s %-22s %-14s %-11s %-19s %-19s %-28s %10s %9s %12s",
                    r.id(), r.kind().id(), cut(model, 22), cut(orDash(r.taskId()), 14), r.status().id(),
                    local(r.started()), local(r.ended()), cut(device, 28),
                    r.wallSeconds() == null ? "-" : String.format("%.1f", r.wallSeconds()),
                    r.deviceSeconds() == null ? "-" : String.format("%.4f", r.deviceSeconds() / 3600),
                    r.parameters() == null ? "-" : String.format("%,d", r.parameters())));
        }
        return s.toString();
    }

    private static String iso(OffsetDateTime time) {
        return time == null ? null : time.toString();
    }

    private static String local(OffsetDateTime time) {
        return time == null ? "-" : time.atZoneSameInstant(ZoneId.systemDefault()).format(TIME);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}
