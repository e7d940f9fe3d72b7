package org.brainfm.submission;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.brainfm.BrainfmException;
import org.brainfm.data.Case;
import org.brainfm.data.Datasets;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.EntryKind;
import org.brainfm.records.EvaluationSplit;
import org.brainfm.submission.ManifestSpec.TaskFiles;

/**
 * Checks a stored entry: its manifest, then every file the manifest names, against the tasks of
 * datasets.yaml and the model cards, collecting every problem found. An entry with no problem is
 * valid and can be scored without a surprise but a model that misbehaves when it runs.
 */
public final class EntryCheck {
    private static final Pattern CARD = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    /** The manifest (null when it could not be read) and every problem of the entry. */
    public record Checked(ManifestSpec manifest, List<String> problems) {
        public boolean ok() {
            return manifest != null && problems.isEmpty();
        }
    }

    private EntryCheck() {}

    /** Checks the entry in {@code entry} against {@code datasets} and the cards in {@code cards}. */
    public static Checked check(Path entry, Datasets datasets, Path cards) {
        return check(entry, datasets, cards, null);
    }

    /**
     * Checks an entry for the cases of {@code split} (null: the general board's test cases): a
     * predictions entry must hold exactly those cases' predictions.
     */
    public static Checked check(Path entry, Datasets datasets, Path cards, EvaluationSplit split) {
        Manifests.Read read = Manifests.read(entry);
        if (read.manifest() == null) {
            return new Checked(null, read.problems());
        }
        ManifestSpec m = read.manifest();
        List<String> problems = new ArrayList<>(read.problems());
        ModelCard card = m.kind() == EntryKind.ENCODER ? card(m, cards, problems) : null;
        Set<Integer> weightChannelsChecked = new HashSet<>();
        for (Map.Entry<String, TaskFiles> e : m.tasks().entrySet()) {
            String task = e.getKey();
            if (datasets.tasks().stream().noneMatch(t -> t.name().equals(task))) {
                problems.add(Manifests.FILE + ": tasks." + Manifests.shorten(task) + ": no such task (tasks: "
                        + String.join(", ", datasets.tasks().stream().map(t -> t.name()).toList()) + ")");
                continue;
            }
            TaskPlan plan = new TaskPlan(datasets, task);
            TaskFiles files = e.getValue();
            switch (m.kind()) {
                case MODEL -> checkModel(entry, plan, files, problems);
                case PREDICTIONS -> {
                    Path location = EntryFiles.resolve(entry, files.predictions(), EntryFiles.Kind.FILE_OR_FOLDER, problems);
                    if (location != null) {
                        problems.addAll(Predictions.read(location, files.predictions(), plan.type(), EntryScoring.labels(plan), cases(plan, split)).problems());
                    }
                }
                case ENCODER -> {
                    int channels = card == null ? 1 : EncoderWeights.channels(card, plan);
                    Path weights = card == null ? null : EntryFiles.resolve(entry, m.weights(), EntryFiles.Kind.FILE, problems);
                    if (weights != null && weightChannelsChecked.add(channels)) {
                        problems.addAll(EncoderWeights.check(weights, m.weights(), card, m.preset(), channels));
                    }
                }
            }
        }
        return new Checked(m, List.copyOf(problems));
    }

    /** A task's test cases: the same for every seed (datasets.yaml's split). */
    public static List<Case> testCases(TaskPlan plan) {
        return plan.split(plan.seeds().get(0)).test();
    }

    /** Most cases of a sanity phase. */
    static final int SANITY_CASES = 5;

    /**
     * The cases an entry is scored on in a phase of {@code split} (docs/challenge.md): sanity, the
     * first {@value #SANITY_CASES} public finetuning cases; validation, the first quarter of the
     * test cases (at least one); test, the others; null (no phase), every test case.
     */
    public static List<Case> cases(TaskPlan plan, EvaluationSplit split) {
        List<Case> test = testCases(plan);
        int validation = Math.max(1, test.size() / 4);
        List<Case> cases = split == null ? test : switch (split) {
            case SANITY -> {
                List<Case> finetune = plan.split(plan.seeds().get(0)).finetune();
                yield finetune.subList(0, Math.min(SANITY_CASES, finetune.size()));
            }
            case VALIDATION -> test.subList(0, Math.min(validation, test.size()));
            case TEST -> test.subList(Math.min(validation, test.size()), test.size());
        };
        if (cases.isEmpty()) {
            throw new BrainfmException(plan.name(), "has no " + (split == null ? "test" : split.id()) + " cases to score");
        }
        return cases;
    }

    private static void checkModel(Path entry, TaskPlan plan, TaskFiles files, List<String> problems) {
        String at = Manifests.FILE + ": tasks." + plan.name();
        for (String input : files.inputs()) {
            if (!plan.inputs().contains(input)) {
                problems.add(at + ".inputs: '" + Manifests.shorten(input) + "' is not an input of the task (its inputs: "
                        + plan.inputs() + ")");
            }
        }
        if (files.patch() == null) {
            return;
        }
        for (String model : files.models()) {
            Path file = EntryFiles.resolve(entry, model, EntryFiles.Kind.FILE, problems);
            if (file != null) {
                OnnxCheck.check(entry, file, model, plan.type(), plan.head().outputs(), files.inputs().size(), files.patch(), problems);
            }
        }
    }

    private static ModelCard card(ManifestSpec m, Path cards, List<String> problems) {
        if (!CARD.matcher(m.card()).matches() || !Files.isRegularFile(cards.resolve(m.card() + ".yaml"))) {
            problems.add(Manifests.FILE + ": card: '" + Manifests.shorten(m.card()) + "' is not one of our cards ("
                    + String.join(", ", ModelCards.names(cards)) + ")");
            return null;
        }
        ModelCard card;
        try {
            card = ModelCards.read(cards.resolve(m.card() + ".yaml"));
            card.preset(m.preset());
        } catch (BrainfmException e) {
            problems.add(Manifests.FILE + ": preset: " + e.problem());
            return null;
        }
        return card;
    }
}
