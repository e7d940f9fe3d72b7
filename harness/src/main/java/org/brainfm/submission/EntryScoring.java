package org.brainfm.submission;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Hardware;
import org.brainfm.data.Case;
import org.brainfm.data.Datasets;
import org.brainfm.finetune.FinetunedModel;
import org.brainfm.finetune.Finetuning;
import org.brainfm.finetune.Rescoring;
import org.brainfm.metrics.Bootstrap;
import org.brainfm.metrics.SegmentationMetrics;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.plan.TaskPlan;
import org.brainfm.recipe.FinetuningRecipe;
import org.brainfm.recipe.Protocol;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.CaseFlag;
import org.brainfm.records.CaseScore;
import org.brainfm.records.EntryKind;
import org.brainfm.records.EvaluationSplit;
import org.brainfm.records.NewEntry;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionRow;
import org.brainfm.records.SubmissionStatus;
import org.brainfm.score.Registry;
import org.brainfm.score.ResultSet;
import org.brainfm.score.Scorer;
import org.brainfm.submission.ManifestSpec.TaskFiles;
import org.brainfm.submission.ModelRunner.Job;
import org.brainfm.submission.ModelRunner.JobCase;
import org.brainfm.submission.Predictions.CaseProblem;
import org.brainfm.train.Progress;

/**
 * Scores a valid submission onto the board: its entry (made on first use; a team's newer version
 * of the same entry replaces the older on the board), then one {@code score} run per task with
 * per-case and aggregate results, exactly as our baselines are scored. Predictions are read as
 * sent; models run in a child JVM with limits ({@link ModelScoring}); encoders are finetuned with
 * the task's fixed recipe and then run like models. A case without a usable prediction scores the
 * worst value, flagged, with its reason.
 */
public final class EntryScoring {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Records records;
    private final Datasets datasets;
    private final Path cards;
    private final Path models;
    private final ScoringLimits limits;
    private final int resamples;
    private final PrintWriter log;

    /** What scoring one submission did. */
    public record Scored(long submissionId, Long entryId, SubmissionStatus status, List<String> reasons,
            Map<String, ResultSet> results) {}

    /**
     * @param models    where encoder entries' finetuned models are saved
     * @param resamples bootstrap resamples of the 95 % CIs
     * @param log       where progress goes (one line per task)
     */
    public EntryScoring(Records records, Datasets datasets, Path cards, Path models, ScoringLimits limits, int resamples,
            PrintWriter log) {
        this.records = records;
        this.datasets = datasets;
        this.cards = cards;
        this.models = models;
        this.limits = limits;
        this.resamples = resamples;
        this.log = log;
    }

    /**
     * Scores submission {@code id}, which the caller has claimed ({@code scoring}). Every task is
     * tried; the submission ends {@code scored}, or {@code failed} with the reason of each task that
     * could not be scored.
     */
    public Scored score(long id) {
        SubmissionRow row = records.submissions().get(id)
                .orElseThrow(() -> new BrainfmException("--submission " + id, "no such submission in " + records.location()));
        Path folder = Path.of(row.folder());
        Manifests.Read read = Manifests.read(folder);
        if (!read.ok()) {
            List<String> reasons = new ArrayList<>(List.of("its manifest no longer reads as when it was checked"));
            reasons.addAll(read.problems());
            records.submissions().setStatus(id, SubmissionStatus.FAILED, reasons);
            return new Scored(id, null, SubmissionStatus.FAILED, reasons, Map.of());
        }
        ManifestSpec m = read.manifest();
        long entry = entry(row, m);
        List<String> reasons = new ArrayList<>();
        Map<String, ResultSet> results = new LinkedHashMap<>();
        for (Map.Entry<String, TaskFiles> t : m.tasks().entrySet()) {
            try {
                results.put(t.getKey(), scoreTask(row, m, entry, t.getKey(), t.getValue(), folder));
            } catch (RuntimeException e) {
                String why = e instanceof BrainfmException b ? b.what() + ": " + b.problem()
                        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                reasons.add(t.getKey() + ": " + why);
                log.println("submission " + id + ": " + t.getKey() + " failed: " + why);
                log.flush();
            }
        }
        SubmissionStatus status = reasons.isEmpty() ? SubmissionStatus.SCORED : SubmissionStatus.FAILED;
        records.submissions().setStatus(id, status, reasons);
        return new Scored(id, entry, status, reasons, results);
    }

    /** The board entry the submission scores: found by team and name, made on first use. */
    private long entry(SubmissionRow row, ManifestSpec m) {
        long entry = records.entries().idOf(m.team(), m.entry()).orElseGet(() -> {
            if (row.baselineCard() != null) {
                Registry.registerCard(records, ModelCards.read(cards.resolve(row.baselineCard() + ".yaml")));
                return records.entries().add(NewEntry.baseline(m.team(), m.entry(), m.family(), row.baselineCard()));
            }
            return records.entries().add(NewEntry.submitted(m.team(), m.entry(), m.family(), row.id()));
        });
        records.entries().setSubmission(entry, row.id());
        return entry;
    }

    private ResultSet scoreTask(SubmissionRow row, ManifestSpec m, long entry, String task, TaskFiles files, Path folder) {
        TaskPlan plan = new TaskPlan(datasets, task);
        Registry.registerTask(records, datasets, plan.spec());
        EvaluationSplit split = row.phaseId() == null ? null : records.phases().get(row.phaseId()).orElseThrow().split();
        List<Case> test = EntryCheck.cases(plan, split);
        ObjectNode config = JSON.createObjectNode();
        config.put("submission", row.id());
        config.put("kind", m.kind().id());
        config.put("sha256", row.sha256());
        config.put("resamples", resamples);
        if (split != null) {
            config.put("phase", row.phaseId());
            config.put("split", split.id());
        }
        config.putPOJO("test_cases", test.stream().map(TaskPlan::caseId).toList());
        Long init = row.initRunId();
        if (m.kind() == EntryKind.ENCODER) {
            init = finetune(row, m, plan);
        }
        NewRun scoring = NewRun.score(entry, task).withConfig(config).withInit(init).withCard(row.baselineCard())
                .withSubmission(row.id(), row.phaseId());
        // A baseline's score run carries its finetuning run's seed, so that the board averages a
        // baseline entry over its seeds; a team's entry has none (its latest version counts).
        Long seed = row.baselineCard() == null || row.initRunId() == null ? null
                : records.runs().get(row.initRunId()).map(r -> r.seed()).orElse(null);
        if (seed != null) {
            scoring = scoring.withSeed(seed);
        }
        ActiveRun run = records.runs().start(scoring, Hardware.cpu());
        try {
            log.printf(Locale.ROOT, "submission %d: scoring %s (%s, %d test cases), run %d%n", row.id(), task, m.kind().id(),
                    test.size(), run.id());
            log.flush();
            Long parameters = m.parameters();
            Predictions.Read read;
            Map<String, String> givenUp = Map.of();
            switch (m.kind()) {
                case PREDICTIONS -> read = Predictions.read(folder.resolve(files.predictions()), files.predictions(), plan.type(), labels(plan), test);
                default -> {
                    List<Path> onnx;
                    List<String> names;
                    TaskFiles spec = files;
                    if (m.kind() == EntryKind.ENCODER) {
                        FinetunedModel saved = FinetunedModel.read(modelDir(init));
                        onnx = Rescoring.exportOnnx(ModelCards.read(Path.of(saved.cardFile())), saved, modelDir(init),
                                workFolder(row, task), true);
                        names = onnx.stream().map(p -> "the finetuned encoder's " + p.getFileName()).toList();
                        spec = new TaskFiles(List.of(), saved.inputs(), saved.patch(), saved.spacing(), null);
                    } else {
                        onnx = files.models().stream().map(folder::resolve).toList();
                        names = files.models();
                        parameters = onnx.stream().mapToLong(OnnxCheck::parameters).max().orElse(0);
                    }
                    Path out = workFolder(row, task).resolve("predictions");
                    givenUp = runModel(onnx, names, spec, plan, test, out, workFolder(row, task).resolve("model.log"), run);
                    read = Predictions.read(out, "model output", plan.type(), labels(plan), test);
                }
            }
            ResultSet results = resultSet(read, givenUp, plan, test);
            run.writeResults(task, results.cases(), results.aggregates());
            run.finish(parameters);
            return results;
        } catch (RuntimeException | Error e) {
            run.fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), null);
            throw e;
        }
    }

    /**
     * Finetunes an encoder entry's weights on the task with its fixed recipe, on the task's first
     * seed only: one finetuning per task keeps a submission's scoring within its time, and a
     * team's entry is one version's single run on the board, as model and predictions entries are.
     */
    private long finetune(SubmissionRow row, ManifestSpec m, TaskPlan plan) {
        Path cardFile = cards.resolve(m.card() + ".yaml");
        ModelCard card = ModelCards.read(cardFile);
        FinetuningRecipe recipe = FinetuningRecipe.builder(card, m.preset(), plan.type())
                .optProtocol(Protocol.of(plan.spec().protocol() != null ? plan.spec().protocol() : Protocol.FOMO25.label()))
                .setSeed(plan.seeds().get(0)).build();
        log.printf(Locale.ROOT, "submission %d: finetuning its %s encoder on %s (%s recipe)%n", row.id(), card.name(), plan.name(),
                recipe.protocol().label());
        log.flush();
        Finetuning.Outcome outcome = new Finetuning(card, cardFile, plan, recipe, Device.cpu(), new Progress(log, false, 30))
                .run(records, new EncoderWeights(Path.of(row.folder()).resolve(m.weights()), row.id()), models);
        return outcome.runId();
    }

    private Path modelDir(Long finetuneRun) {
        return models.toAbsolutePath().resolve("run-" + finetuneRun);
    }

    private Map<String, String> runModel(List<Path> onnx, List<String> names, TaskFiles files, TaskPlan plan, List<Case> test, Path out, Path log,
            ActiveRun run) {
        try {
            Files.createDirectories(out);
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new BrainfmException(out.toString(), "cannot be created: " + e.getMessage(), e);
        }
        List<JobCase> cases = new ArrayList<>();
        for (Case c : test) {
            Map<String, String> inputs = new LinkedHashMap<>();
            for (String contrast : files.inputs()) {
                inputs.put(contrast, c.inputs().get(contrast).toAbsolutePath().toString());
            }
            cases.add(new JobCase(TaskPlan.caseId(c), Predictions.stem(TaskPlan.caseId(c)), inputs));
        }
        Job job = new Job(plan.type(), plan.head().outputs(), onnx.stream().map(p -> p.toAbsolutePath().toString()).toList(), names, files.inputs(), files.patch(),
                files.spacing(), 1, out.toAbsolutePath().toString(), cases);
        return new ModelScoring(limits).run(job, out, log, run.meter());
    }

    /** A scratch folder per submission and task, kept beside the stored entry for the organiser to read. */
    private Path workFolder(SubmissionRow row, String task) {
        Path folder = Path.of(row.folder()).resolveSibling(row.sha256() + ".scoring").resolve(task);
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new BrainfmException(folder.toString(), "cannot be created: " + e.getMessage(), e);
        }
    }

    /**
     * The result set of what was read: usable predictions scored, every other case scored worst and
     * flagged with its reason (a model run's own reason for a case wins over "no prediction").
     */
    ResultSet resultSet(Predictions.Read read, Map<String, String> givenUp, TaskPlan plan, List<Case> test) {
        Scorer scorer = new Scorer(resamples, Bootstrap.DEFAULT_SEED);
        List<String> ids = test.stream().map(TaskPlan::caseId).toList();
        ResultSet scored = switch (plan.type()) {
            case SEGMENTATION -> scorer.segmentation(ids, i -> {
                Path mask = read.masks().get(ids.get(i));
                return mask == null ? null : Predictions.mask(mask);
            }, test.stream().map(Case::label).toList(), plan.classes(), plan.metrics(), SegmentationMetrics.DEFAULT_TOLERANCE_MM);
            case CLASSIFICATION -> scorer.classification(ids, values(read, ids), test.stream().mapToDouble(Case::target).toArray(),
                    plan.metrics());
            case REGRESSION -> scorer.regression(ids, values(read, ids), test.stream().mapToDouble(Case::target).toArray(),
                    plan.metrics());
        };
        Map<String, CaseProblem> problems = new LinkedHashMap<>(read.caseProblems());
        givenUp.forEach((caseId, why) -> problems.put(caseId, new CaseProblem(!why.startsWith("the model failed"), why)));
        List<CaseScore> cases = scored.cases().stream().map(c -> {
            CaseProblem p = problems.get(c.caseId());
            return p == null ? c : c.flagged(p.missing() ? CaseFlag.MISSING : CaseFlag.INVALID, p.reason());
        }).toList();
        return new ResultSet(cases, scored.aggregates());
    }

    /** Label values above 0 a task's prediction may hold: its classes, one for a binary mask. */
    static int labels(TaskPlan plan) {
        return Math.max(1, plan.classes().size());
    }

    private static double[] values(Predictions.Read read, List<String> ids) {
        return ids.stream().mapToDouble(id -> read.values().getOrDefault(id, Double.NaN)).toArray();
    }
}
