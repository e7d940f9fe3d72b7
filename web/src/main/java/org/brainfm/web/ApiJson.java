package org.brainfm.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.brainfm.metrics.Metric;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.BoardRow;
import org.brainfm.records.EpochRow;
import org.brainfm.records.RunRow;
import org.brainfm.records.TaskRow;
import org.brainfm.study.Difference;
import org.brainfm.study.Floor;
import org.brainfm.study.Study;
import org.brainfm.study.TaskRanking;

/**
 * The JSON of {@code /api/}: the same numbers as the pages, unrounded, with snake_case names.
 * Organiser actions and errors answer JSON through it too.
 */
final class ApiJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ApiJson() {}

    static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ObjectNode leaderboard(Snapshot s, Map<Long, RankInterval> intervals) {
        ObjectNode root = object();
        root.put("generated_at", s.builtAt.toString());
        ArrayNode tasks = root.putArray("tasks");
        s.rankedTasks.forEach(tasks::add);
        root.put("rank_resamples", s.resamples);
        root.put("rank_intervals", intervals == null ? "pending" : "ready");
        ArrayNode entries = root.putArray("entries");
        for (OverallStanding r : s.overall) {
            ObjectNode e = entries.addObject();
            e.put("position", r.position());
            e.put("entry_id", r.entryId());
            e.put("team", r.team());
            e.put("entry", r.entry());
            e.put("family", r.family().id());
            e.put("baseline", r.baseline());
            e.put("parameters", r.parameters());
            compute(e, r.compute());
            e.put("claimed_gpu_hours", r.claimedGpuHours());
            e.put("mean_rank", finite(r.meanRank()));
            RankInterval ci = intervals == null ? null : intervals.get(r.entryId());
            e.put("rank_ci_low", ci == null ? null : ci.low());
            e.put("rank_ci_high", ci == null ? null : ci.high());
            ObjectNode ranks = e.putObject("task_ranks");
            r.taskRanks().forEach(ranks::put);
            e.put("url", Links.entry(r.entryId()));
        }
        return root;
    }

    static ArrayNode tasks(Snapshot s) {
        ArrayNode out = JSON.createArrayNode();
        for (TaskRow t : s.tasks) {
            ObjectNode o = task(t);
            TaskBoard board = s.boards.get(t.id());
            o.put("entries", board.rows().size());
            o.put("url", Links.taskJson(t.id()));
            out.add(o);
        }
        return out;
    }

    static ObjectNode taskBoard(TaskBoard board, TaskBoard.Show show) {
        ObjectNode root = object();
        root.set("task", task(board.task()));
        root.put("show", show.id());
        ArrayNode metrics = root.putArray("metrics");
        board.metrics().forEach(m -> metrics.add(metric(m)));
        ArrayNode entries = root.putArray("entries");
        for (TaskStanding r : board.rows()) {
            ObjectNode e = entries.addObject();
            e.put("position", r.position());
            e.put("task_rank", finite(r.taskRank()));
            e.put("entry_id", r.row().entryId());
            e.put("team", r.row().team());
            e.put("entry", r.row().entry());
            e.put("family", r.row().family().id());
            e.put("baseline", r.row().baseline());
            e.put("run_id", r.row().runId());
            e.set("seed_runs", seedRuns(r.row()));
            e.put("parameters", r.row().parameters());
            compute(e, r.compute());
            e.set("metrics", scores(board.metrics(), r));
        }
        return root;
    }

    static ObjectNode scores(List<Metric> metrics, TaskStanding r) {
        ObjectNode out = object();
        for (Metric m : metrics) {
            AggregateScore a = r.score(m);
            if (a != null) {
                ObjectNode o = out.putObject(m.key());
                o.put("value", a.score());
                o.put("ci_low", a.ciLow());
                o.put("ci_high", a.ciHigh());
                o.put("n", a.n());
                o.put("sd", a.sd());
                o.put("seeds", a.seeds());
                o.put("rank", r.metricRanks().get(m.key()));
            }
        }
        return out;
    }

    static ObjectNode entry(EntryView v) {
        ObjectNode root = object();
        root.put("entry_id", v.entry().id());
        root.put("team", v.entry().team());
        root.put("entry", v.entry().name());
        root.put("family", v.entry().family().id());
        root.put("baseline", v.entry().baseline());
        root.put("status", v.entry().status().id());
        root.put("submission_id", v.entry().submissionId());
        root.put("card", v.entry().cardId());
        root.put("created_at", v.entry().created().toString());
        if (v.card() != null) {
            root.set("model_card", v.card().definition());
        }
        if (v.overall() != null) {
            root.put("position", v.overall().position());
            root.put("mean_rank", finite(v.overall().meanRank()));
        }
        compute(root, v.compute());
        root.put("claimed_gpu_hours", v.claimedGpuHours());
        ObjectNode tasks = root.putObject("tasks");
        for (EntryView.TaskResult t : v.tasks()) {
            ObjectNode o = tasks.putObject(t.board().task().id());
            o.put("position", t.row().position());
            o.put("task_rank", finite(t.row().taskRank()));
            o.put("of", t.board().rows().size());
            o.put("run_id", t.row().row().runId());
            o.set("seed_runs", seedRuns(t.row().row()));
            o.set("metrics", scores(t.board().metrics(), t.row()));
        }
        ArrayNode runs = root.putArray("runs");
        for (RunRow r : v.runs()) {
            ObjectNode o = runs.addObject();
            o.put("id", r.id());
            o.put("kind", r.kind().id());
            o.put("status", r.status().id());
            o.put("card", r.cardId());
            o.put("objective", r.objective());
            o.put("task", r.taskId());
            o.put("seed", r.seed());
            o.put("init_run", r.initRunId());
            o.put("started_at", r.started().toString());
            o.put("ended_at", r.ended() == null ? null : r.ended().toString());
            o.put("host", r.host());
            o.put("device_type", r.deviceType());
            o.put("device_name", r.deviceName());
            o.put("device_count", r.deviceCount());
            o.put("wall_seconds", r.wallSeconds());
            o.put("device_seconds", r.deviceSeconds());
            o.put("gpu_seconds", r.gpuSeconds());
            o.put("cpu_seconds", r.cpuSeconds());
            o.put("peak_memory_bytes", r.peakMemoryBytes());
            o.put("parameters", r.parameters());
            o.put("git_commit", r.gitCommit());
            o.put("error", r.error());
            List<EpochRow> curve = v.curves().get(r.id());
            if (curve != null) {
                ArrayNode c = o.putArray("curve");
                for (EpochRow p : curve) {
                    ObjectNode point = c.addObject();
                    point.put("epoch", p.epoch());
                    point.put("step", p.step());
                    point.put("loss", p.loss());
                    point.put("learning_rate", p.learningRate());
                    point.put("validation_loss", p.validationLoss());
                }
            }
        }
        return root;
    }

    static ObjectNode comparison(Comparison c) {
        Study study = c.study();
        ObjectNode root = object();
        root.put("parameter_ratio", finite(study.parameterRatio()));
        root.put("gpu_hours_ratio", finite(study.gpuHoursRatio()));
        root.put("resamples", study.resamples());
        root.put("permutations", study.permutations());
        root.put("seed", study.seed());
        root.set("contradictions", strings(study.contradictions()));
        ArrayNode tasks = root.putArray("tasks");
        for (Study.TaskStudy t : study.tasks()) {
            ObjectNode o = tasks.addObject();
            o.put("task", t.task().id());
            o.put("scored", t.scored());
            o.put("metric", t.headline() == null ? null : t.headline().key());
            o.put("verdict", t.verdict());
            o.set("cnn", side(t.cnn(), t.headline()));
            o.set("transformer", side(t.transformer(), t.headline()));
            o.put("parameter_ratio", finite(t.parameterRatio()));
            o.put("hours_ratio", finite(t.hoursRatio()));
            o.put("hours_unit", t.hoursUnit());
            o.put("hours_not_comparable", t.hoursWhyNot());
            o.set("contradictions", strings(t.contradictions()));
            o.set("floor", floor(t.floor()));
            ArrayNode differences = o.putArray("differences");
            for (Difference d : t.differences().values()) {
                ObjectNode x = differences.addObject();
                x.put("metric", d.metric().key());
                x.put("headline", d.metric() == t.headline());
                x.put("difference", finite(d.value()));
                x.put("ci_low", finite(d.low()));
                x.put("ci_high", finite(d.high()));
                x.put("p", finite(d.p()));
                x.put("p_holm", d.metric() == t.headline() ? finite(d.pAdjusted()) : null);
                x.put("cases", d.cases());
                x.put("unpaired", d.unpaired());
                x.put("untested", d.untested());
                x.put("better", d.firstBetter() ? "cnn" : d.secondBetter() ? "transformer" : null);
            }
        }
        return root;
    }

    /** What a model that learnt nothing scores on the task, and whether its best entry clears it; null when unscored. */
    private static ObjectNode floor(Floor f) {
        if (f == null) {
            return null;
        }
        ObjectNode o = object();
        o.put("metric", f.metric().key());
        o.put("value", finite(f.value()));
        o.put("what", f.what());
        o.put("best_entry_id", f.best() == null ? null : f.best().row().entryId());
        o.put("cleared", f.cleared());
        o.put("finding", f.finding());
        return o;
    }

    private static ObjectNode side(TaskRanking.Placed r, Metric metric) {
        if (r == null) {
            return null;
        }
        ObjectNode o = object();
        o.put("entry_id", r.row().entryId());
        o.put("team", r.row().team());
        o.put("entry", r.row().entry());
        o.put("position", r.position());
        o.put("value", finite(r.value(metric)));
        o.put("parameters", r.row().parameters());
        compute(o, new Compute(r.row().gpuHours(), r.row().deviceHours()));
        o.set("seed_runs", seedRuns(r.row()));
        return o;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode out = JSON.createArrayNode();
        values.forEach(out::add);
        return out;
    }

    /** The scoring runs behind a board row, one per finetuning seed (seed null: none recorded). */
    private static ArrayNode seedRuns(BoardRow row) {
        ArrayNode out = JSON.createArrayNode();
        for (BoardRow.SeedRun s : row.seedRuns()) {
            ObjectNode o = out.addObject();
            o.put("seed", s.seed());
            o.put("run_id", s.runId());
        }
        return out;
    }

    private static ObjectNode task(TaskRow t) {
        ObjectNode o = object();
        o.put("id", t.id());
        o.put("dataset", t.datasetId());
        o.put("kind", t.type().label());
        o.put("description", t.description());
        return o;
    }

    private static ObjectNode metric(Metric m) {
        ObjectNode o = object();
        o.put("key", m.key());
        o.put("label", m.label());
        o.put("direction", m.direction() == Metric.Direction.HIGHER ? "higher" : "lower");
        o.put("unit", m.unit());
        o.put("decimals", m.decimals());
        return o;
    }

    private static void compute(ObjectNode o, Compute c) {
        o.put("gpu_hours", c.gpuHours());
        o.put("device_hours", c.deviceHours());
        o.put("cpu_hours", c.cpuHours());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
