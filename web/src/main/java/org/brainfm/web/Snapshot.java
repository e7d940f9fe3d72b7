package org.brainfm.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.Ranking;
import org.brainfm.metrics.TaskScores;
import org.brainfm.records.BoardRow;
import org.brainfm.records.CardRow;
import org.brainfm.records.ChangeStamp;
import org.brainfm.records.EntryRow;
import org.brainfm.records.Records;
import org.brainfm.records.RunRow;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.TaskRow;

/**
 * Everything the boards show, computed once for one state of the records (one
 * {@link ChangeStamp}): each task's board, the overall board, the entries and runs. Immutable
 * apart from caches of what is derived from it (per-team boards, rendered pages), which are
 * thrown away with it. The overall rank intervals are computed in the background, since
 * resampling a large board takes seconds.
 */
final class Snapshot {
    /** The seed of the rank-stability resamples (the same as the metric CIs', docs/metrics.md). */
    static final long SEED = 20250923L;
    private static final ObjectMapper JSON = new ObjectMapper();

    final ChangeStamp stamp;
    /** The records it was read from: derived views that need per-case results (the study) read them. */
    final Records records;
    final OffsetDateTime builtAt;
    final List<TaskRow> tasks;
    final Map<String, TaskBoard> boards;
    final List<String> rankedTasks;
    final List<OverallStanding> overall;
    final Map<Long, EntryRow> entries;
    final Map<Long, RunRow> runs;
    final Map<String, CardRow> cards;
    /** The manifests of the submissions entries were last scored from, by submission id. */
    final Map<Long, JsonNode> manifests;
    final int resamples;
    final CompletableFuture<Map<Long, RankInterval>> intervals;
    /** The large exports, written to files once ({@link ExportFiles}). */
    final ExportFiles exports;
    private final ConcurrentMap<String, TaskBoard> perTeam = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Object> derived = new ConcurrentHashMap<>();

    private Snapshot(Records records, ChangeStamp stamp, int resamples, Executor background, ExportFiles exports) {
        this.stamp = stamp;
        this.records = records;
        this.exports = exports;
        this.builtAt = OffsetDateTime.now(ZoneOffset.UTC);
        this.resamples = resamples;
        this.tasks = records.catalog().tasks();
        this.entries = index(records.entries().all(), EntryRow::id);
        this.runs = index(records.runs().all(), RunRow::id);
        Map<String, CardRow> cardsById = new LinkedHashMap<>();
        for (EntryRow e : entries.values()) {
            if (e.cardId() != null) {
                cardsById.computeIfAbsent(e.cardId(), id -> records.catalog().card(id).orElse(null));
            }
        }
        this.cards = cardsById;
        Set<Long> scoredFrom = new HashSet<>();
        entries.values().forEach(e -> scoredFrom.add(e.submissionId()));
        Map<Long, JsonNode> manifestsById = new LinkedHashMap<>();
        for (SubmissionRow sub : records.submissions().all()) {
            if (scoredFrom.contains(sub.id())) {
                manifestsById.put(sub.id(), manifest(sub.manifest()));
            }
        }
        this.manifests = manifestsById;
        Map<String, TaskBoard> byTask = new LinkedHashMap<>();
        for (TaskRow t : tasks) {
            byTask.put(t.id(), TaskBoard.rank(t, records.board().forTask(t.id())));
        }
        this.boards = byTask;
        List<TaskBoard> counted = counted();
        this.rankedTasks = counted.stream().map(b -> b.task().id()).toList();
        List<Long> ids = new ArrayList<>(new TreeSet<>(counted.stream()
                .flatMap(b -> b.rows().stream()).map(r -> r.row().entryId()).toList()));
        this.overall = overall(counted, ids);
        this.intervals = ids.isEmpty() || resamples == 0
                ? CompletableFuture.completedFuture(Map.of())
                : CompletableFuture.supplyAsync(() -> RankIntervals.compute(records, counted, ids, resamples, SEED),
                        background);
    }

    static Snapshot build(Records records, ChangeStamp stamp, int resamples, Executor background, ExportFiles exports) {
        return new Snapshot(records, stamp, resamples, background, exports);
    }

    /** Whether reading the records for it failed (the rank intervals, read in the background): not to be kept. */
    boolean failed() {
        return intervals.isCompletedExceptionally();
    }

    Optional<TaskBoard> board(String taskId, TaskBoard.Show show) {
        TaskBoard all = boards.get(taskId);
        if (all == null) {
            return Optional.empty();
        }
        return Optional.of(perTeam.computeIfAbsent(taskId + "\n" + show.id(), k -> all.perTeam(show)));
    }

    /**
     * A value derived from this snapshot, kept per key (comparison, rendered pages, JSON). Not
     * computeIfAbsent: a derived value may itself use another (the comparison page uses the
     * comparison), and a map may not be updated from inside its own computeIfAbsent. Two
     * requests may compute the same value at once; the first stored wins.
     */
    @SuppressWarnings("unchecked")
    <T> T derived(String key, Function<Snapshot, T> compute) {
        Object value = derived.get(key);
        if (value == null) {
            value = compute.apply(this);
            Object earlier = derived.putIfAbsent(key, value);
            if (earlier != null) {
                value = earlier;
            }
        }
        return (T) value;
    }

    /** Drops one derived value, e.g. a page rendered before the rank intervals were ready. */
    void forget(String key) {
        derived.remove(key);
    }

    /** The runs a run started from, itself first: scoring, finetuning, pretraining. */
    List<RunRow> lineage(long runId) {
        List<RunRow> chain = new ArrayList<>();
        RunRow run = runs.get(runId);
        while (run != null) {
            chain.add(run);
            run = run.initRunId() == null ? null : runs.get(run.initRunId());
        }
        return chain;
    }

    /** Compute over the union of the lineages of an entry's scoring runs: pretraining counted once. */
    Compute compute(List<Long> scoringRuns) {
        Set<Long> seen = new HashSet<>();
        Compute total = Compute.NONE;
        for (long run : scoringRuns) {
            for (RunRow r : lineage(run)) {
                if (seen.add(r.id())) {
                    total = total.plus(r.gpuSeconds(), r.deviceSeconds());
                }
            }
        }
        return total;
    }

    /** The GPU-hours a card says its pretraining takes ({@code pretraining.gpu_hours}), if it says. */
    /** The pretraining GPU-hours an entry claims: its card's, or its submission's manifest's; null when none. */
    Double claimedGpuHours(EntryRow entry) {
        if (entry == null) {
            return null;
        }
        CardRow card = entry.cardId() == null ? null : cards.get(entry.cardId());
        JsonNode claim = card != null ? card.definition().at("/pretraining/gpu_hours")
                : manifest(entry).path("gpu_hours");
        return claim.isNumber() ? claim.asDouble() : null;
    }

    /** The manifest of the submission an entry was last scored from; an empty object for our baselines' own runs. */
    JsonNode manifest(EntryRow entry) {
        JsonNode m = entry.submissionId() == null ? null : manifests.get(entry.submissionId());
        return m == null ? MissingNode.getInstance() : m;
    }

    private static JsonNode manifest(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /** Tasks that enter the overall rank: with at least one ranked row. */
    private List<TaskBoard> counted() {
        return boards.values().stream().filter(b -> !b.rows().isEmpty() && !b.metrics().isEmpty()).toList();
    }

    private List<OverallStanding> overall(List<TaskBoard> counted, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Integer> index = new LinkedHashMap<>();
        ids.forEach(id -> index.put(id, index.size()));
        List<TaskScores> ranked = new ArrayList<>();
        for (TaskBoard b : counted) {
            Map<Metric, double[][]> values = new LinkedHashMap<>();
            for (Metric m : b.metrics()) {
                double[][] column = new double[ids.size()][1];
                for (double[] c : column) {
                    c[0] = Double.NaN;
                }
                for (TaskStanding r : b.rows()) {
                    column[index.get(r.row().entryId())][0] = r.value(m);
                }
                values.put(m, column);
            }
            ranked.add(TaskScores.perCase(b.task().id(), ids.stream().map(String::valueOf).toList(), values));
        }
        List<Ranking.Place> places = Ranking.rank(ranked);
        List<OverallStanding> rows = new ArrayList<>();
        for (long id : ids) {
            Ranking.Place place = places.get(index.get(id));
            Map<String, Double> taskRanks = new LinkedHashMap<>();
            List<Long> scoringRuns = new ArrayList<>();
            BoardRow any = null;
            Long parameters = null;
            for (int t = 0; t < counted.size(); t++) {
                for (TaskStanding r : counted.get(t).rows()) {
                    if (r.row().entryId() == id) {
                        taskRanks.put(counted.get(t).task().id(), place.taskRanks()[t]);
                        r.row().seedRuns().forEach(s -> scoringRuns.add(s.runId()));
                        any = r.row();
                        if (r.row().parameters() != null) {
                            parameters = parameters == null ? r.row().parameters() : Math.max(parameters, r.row().parameters());
                        }
                    }
                }
            }
            EntryRow entry = entries.get(id);
            rows.add(new OverallStanding(id, any.team(), any.entry(), any.family(), any.baseline(), parameters,
                    compute(scoringRuns), claimedGpuHours(entry), place.position(),
                    place.meanRank(), Map.copyOf(taskRanks)));
        }
        rows.sort(Comparator.comparingInt(OverallStanding::position).thenComparingLong(OverallStanding::entryId));
        return List.copyOf(rows);
    }

    private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key) {
        Map<K, V> map = new LinkedHashMap<>();
        values.forEach(v -> map.put(key.apply(v), v));
        return map;
    }
}
