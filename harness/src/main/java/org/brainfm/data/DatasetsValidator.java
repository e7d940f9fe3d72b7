package org.brainfm.data;

import static org.brainfm.data.DatasetsYaml.quote;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.brainfm.BrainfmException;
import org.brainfm.data.DatasetsYaml.Parsed;
import org.brainfm.data.DatasetsYaml.Raw;
import org.brainfm.metrics.TaskType;

/**
 * Checks what the types of a parsed datasets.yaml cannot say: names, the fields each dataset
 * kind needs or forbids, contrasts, tasks that refer to declared datasets and contrasts (their
 * own or a stand-in's, in the finetuning and the test dataset), metrics that fit the task,
 * counts, nothing declared twice. The first mistake is a one-line
 * {@link BrainfmException} whose {@code what} is {@code file:line: field.path}, the line looked
 * up where the parser's errors and {@link Datasets} look it up ({@link Parsed#where}).
 */
final class DatasetsValidator {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern CONTRAST = Pattern.compile("[a-z0-9][a-z0-9_]*");
    /** A class name: it becomes part of metric keys ({@code dice_white_matter}). */
    private static final Pattern CLASS = Pattern.compile("[a-z][a-z0-9-]*");

    private final Parsed parsed;

    private DatasetsValidator(Parsed parsed) {
        this.parsed = parsed;
    }

    /** Throws on the first mistake it finds; returns if there is none. */
    static void check(Parsed parsed) {
        new DatasetsValidator(parsed).check(parsed.raw());
    }

    private void check(Raw raw) {
        if (raw.datasets() == null || raw.datasets().isEmpty()) {
            fail("datasets", "is missing or empty; declare at least one dataset");
        }
        Map<String, DatasetSpec> byName = new HashMap<>();
        for (int i = 0; i < raw.datasets().size(); i++) {
            DatasetSpec d = raw.datasets().get(i);
            String at = "datasets[" + i + "]";
            if (d == null) {
                fail(at, "is empty");
            }
            checkDataset(d, at);
            if (byName.put(d.name(), d) != null) {
                fail(at + ".name", "\"" + d.name() + "\" is declared twice");
            }
        }
        Set<String> tasks = new HashSet<>();
        List<TaskSpec> list = raw.tasks() == null ? List.of() : raw.tasks();
        for (int i = 0; i < list.size(); i++) {
            TaskSpec t = list.get(i);
            String at = "tasks[" + i + "]";
            if (t == null) {
                fail(at, "is empty");
            }
            checkTask(t, at, byName);
            if (!tasks.add(t.name())) {
                fail(at + ".name", "\"" + t.name() + "\" is declared twice");
            }
        }
        List<String> pretraining = raw.pretraining() == null ? List.of() : raw.pretraining();
        for (int i = 0; i < pretraining.size(); i++) {
            if (!byName.containsKey(pretraining.get(i))) {
                fail("pretraining[" + i + "]", unknownDataset(pretraining.get(i), byName));
            }
        }
    }

    private void checkDataset(DatasetSpec d, String at) {
        name(d.name(), at + ".name");
        required(d.kind(), at + ".kind", "one of synthetic, fomo, nnunet, files");
        nonEmpty(d.contrasts(), at + ".contrasts");
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < d.contrasts().size(); c++) {
            String contrast = d.contrasts().get(c);
            String field = at + ".contrasts[" + c + "]";
            if (contrast == null || !CONTRAST.matcher(contrast).matches()) {
                fail(field, quote(contrast) + " is not a contrast name (lower case letters, digits, _)");
            }
            if (!seen.add(contrast)) {
                fail(field, "\"" + contrast + "\" is listed twice");
            }
        }
        String kind = d.kind().label();
        if (d.kind() == DatasetKind.SYNTHETIC) {
            required(d.generator(), at + ".generator", "phantom settings (seed, subjects, sessions, size, shares)");
            d.generator().problems().entrySet().stream().findFirst()
                    .ifPresent(p -> fail(at + ".generator." + p.getKey(), p.getValue()));
            for (int c = 0; c < d.contrasts().size(); c++) {
                if (PhantomContrast.of(d.contrasts().get(c)) == null) {
                    fail(at + ".contrasts[" + c + "]", "\"" + d.contrasts().get(c) + "\" is not a contrast the phantom makes ("
                            + String.join(", ", PhantomContrast.ids()) + ")");
                }
            }
        } else {
            required(d.path(), at + ".path", "the data root of a " + kind + " dataset");
            absent(d.generator(), at + ".generator", kind);
        }
        if (d.kind() != DatasetKind.FOMO) {
            absent(d.labels(), at + ".labels", kind);
        }
        if (d.kind() == DatasetKind.FILES) {
            nonEmpty(d.subjects(), at + ".subjects");
            Set<String> ids = new HashSet<>();
            for (int s = 0; s < d.subjects().size(); s++) {
                DatasetSpec.FileSubject subject = d.subjects().get(s);
                String sat = at + ".subjects[" + s + "]";
                if (subject == null) {
                    fail(sat, "is empty");
                }
                name(subject.id(), sat + ".id");
                if (!ids.add(subject.id())) {
                    fail(sat + ".id", "\"" + subject.id() + "\" is listed twice");
                }
                if (subject.files() == null || subject.files().isEmpty()) {
                    fail(sat + ".files", "is missing or empty; map each contrast to a file under path");
                }
                for (Map.Entry<String, String> f : subject.files().entrySet()) {
                    if (!d.contrasts().contains(f.getKey())) {
                        fail(sat + ".files." + f.getKey(), "\"" + f.getKey() + "\" is not one of the dataset's contrasts ("
                                + String.join(", ", d.contrasts()) + ")");
                    }
                    if (f.getValue() == null || f.getValue().isBlank()) {
                        fail(sat + ".files." + f.getKey(), "needs a file name");
                    }
                }
            }
        } else {
            absent(d.subjects(), at + ".subjects", kind);
        }
    }

    private void checkTask(TaskSpec t, String at, Map<String, DatasetSpec> datasets) {
        name(t.name(), at + ".name");
        required(t.type(), at + ".type", "one of segmentation, classification, regression");
        required(t.dataset(), at + ".dataset", "the name of a dataset");
        DatasetSpec d = datasets.get(t.dataset());
        if (d == null) {
            fail(at + ".dataset", unknownDataset(t.dataset(), datasets));
        }
        DatasetSpec test = d;
        if (t.testDataset() != null) {
            test = datasets.get(t.testDataset());
            if (test == null) {
                fail(at + ".test-dataset", unknownDataset(t.testDataset(), datasets));
            }
        }
        List<DatasetSpec> sources = test == d ? List.of(d) : List.of(d, test);
        nonEmpty(t.inputs(), at + ".inputs");
        checkAlternatives(t, at + ".alternatives", sources);
        for (int i = 0; i < t.inputs().size(); i++) {
            String input = t.inputs().get(i);
            for (DatasetSpec source : sources) {
                List<String> standIns = t.standIns(input);
                if (!source.contrasts().contains(input) && standIns.stream().noneMatch(source.contrasts()::contains)) {
                    fail(at + ".inputs[" + i + "]", quote(input) + " is not a contrast of dataset " + source.name()
                            + " (" + String.join(", ", source.contrasts()) + ")"
                            + (standIns.isEmpty() ? "" : ", nor is any stand-in for it (" + String.join(", ", standIns) + ")"));
                }
            }
            if (t.inputs().indexOf(input) != i) {
                fail(at + ".inputs[" + i + "]", "\"" + input + "\" is listed twice");
            }
        }
        required(t.label(), at + ".label", "the label file of each case (seg.nii.gz, label.txt, age.txt)");
        boolean image = t.label().endsWith(".nii.gz") || t.label().endsWith(".nii");
        if (t.type().labelIsImage() != image) {
            fail(at + ".label", "\"" + t.label() + "\" does not fit a " + t.type().label() + " task: "
                    + (t.type().labelIsImage() ? "it needs a mask (.nii.gz or .nii)" : "it needs a number in a text file (.txt)"));
        }
        if (t.label().contains("/") || t.label().contains("\\")) {
            fail(at + ".label", "\"" + t.label() + "\" must be a file name, not a path");
        }
        checkClasses(t, at + ".classes");
        positive(t.finetune(), at + ".finetune");
        positive(t.test(), at + ".test");
        if (!t.testsElsewhere() && d.kind() == DatasetKind.SYNTHETIC && t.finetune() + t.test() > d.generator().subjects()) {
            fail(at + ".test", "finetune + test = " + (t.finetune() + t.test()) + " cases, but dataset " + d.name()
                    + " makes " + d.generator().subjects() + " subjects");
        }
        if (t.testsElsewhere() && d.kind() == DatasetKind.SYNTHETIC && t.finetune() > d.generator().subjects()) {
            fail(at + ".finetune", t.finetune() + " cases, but dataset " + d.name() + " makes " + d.generator().subjects() + " subjects");
        }
        if (t.testsElsewhere() && test.kind() == DatasetKind.SYNTHETIC && t.test() > test.generator().subjects()) {
            fail(at + ".test", t.test() + " cases, but test dataset " + test.name() + " makes " + test.generator().subjects() + " subjects");
        }
        nonEmpty(t.metrics(), at + ".metrics");
        for (int m = 0; m < t.metrics().size(); m++) {
            String metric = t.metrics().get(m);
            if (!t.type().metrics().contains(metric)) {
                fail(at + ".metrics[" + m + "]", quote(metric) + " does not fit a " + t.type().label()
                        + " task; use " + String.join(", ", t.type().metrics()));
            }
        }
        if (t.seeds() != null && t.seeds().isEmpty()) {
            fail(at + ".seeds", "is empty; leave it out for the single seed 1");
        }
        if (t.seeds() != null && t.seeds().contains(null)) {
            fail(at + ".seeds[" + t.seeds().indexOf(null) + "]", "is empty");
        }
        if (t.protocol() != null && !TaskSpec.PROTOCOLS.contains(t.protocol())) {
            fail(at + ".protocol", quote(t.protocol()) + " is not a protocol; use " + String.join(" or ", TaskSpec.PROTOCOLS));
        }
    }

    /** A multi-class segmentation task names two or more classes, each once, as metric keys can carry them. */
    private void checkClasses(TaskSpec t, String at) {
        if (t.classes() == null) {
            return;
        }
        if (t.type() != TaskType.SEGMENTATION) {
            fail(at, "only a segmentation task has classes (a " + t.type().label() + " task's label is a number)");
        }
        if (t.classes().size() < 2) {
            fail(at, "names " + t.classes().size() + " class; a binary task (foreground: every nonzero voxel) lists none");
        }
        for (int i = 0; i < t.classes().size(); i++) {
            String c = t.classes().get(i);
            if (c == null || !CLASS.matcher(c).matches() || c.length() > 40) {
                fail(at + "[" + i + "]", quote(c) + " is not a class name: up to 40 lower case letters, digits and '-', starting with a letter");
            }
            if (t.classes().indexOf(c) != i) {
                fail(at + "[" + i + "]", quote(c) + " is listed twice");
            }
        }
    }

    /** Each entry: an input of the task, and other contrasts, of one of the task's datasets, to stand in for it. */
    private void checkAlternatives(TaskSpec t, String at, List<DatasetSpec> sources) {
        if (t.alternatives() == null) {
            return;
        }
        for (Map.Entry<String, List<String>> e : t.alternatives().entrySet()) {
            String field = at + "." + e.getKey();
            if (!t.inputs().contains(e.getKey())) {
                fail(field, quote(e.getKey()) + " is not an input of the task (" + String.join(", ", t.inputs()) + ")");
            }
            nonEmpty(e.getValue(), field);
            for (int j = 0; j < e.getValue().size(); j++) {
                String standIn = e.getValue().get(j);
                String item = field + "[" + j + "]";
                if (t.inputs().contains(standIn)) {
                    fail(item, quote(standIn) + " is an input of the task itself; a stand-in is another contrast");
                }
                if (e.getValue().indexOf(standIn) != j) {
                    fail(item, quote(standIn) + " is listed twice");
                }
                if (sources.stream().noneMatch(source -> source.contrasts().contains(standIn))) {
                    List<String> declared = sources.stream().map(source -> source.name() + " (" + String.join(", ", source.contrasts()) + ")").toList();
                    fail(item, quote(standIn) + " is not a contrast of dataset " + String.join(" or ", declared));
                }
            }
        }
    }

    private static String unknownDataset(String name, Map<String, DatasetSpec> datasets) {
        return quote(name) + " is not a dataset declared here ("
                + datasets.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")";
    }

    private void name(String name, String field) {
        required(name, field, "a name");
        if (!NAME.matcher(name).matches()) {
            fail(field, "\"" + name + "\" is not a name (lower case letters, digits, '.', '_', '-')");
        }
    }

    private void required(Object value, String field, String what) {
        if (value == null || value instanceof String s && s.isBlank()) {
            fail(field, "is missing; it needs " + what);
        }
    }

    private void absent(Object value, String field, String kind) {
        if (value != null) {
            fail(field, "does not apply to a " + kind + " dataset");
        }
    }

    private void nonEmpty(List<?> list, String field) {
        if (list == null || list.isEmpty()) {
            fail(field, "is missing or empty");
        }
        int hole = list.indexOf(null);
        if (hole >= 0) {
            fail(field + "[" + hole + "]", "is empty");
        }
    }

    private void positive(Integer count, String field) {
        required(count, field, "a count of cases");
        if (count <= 0) {
            fail(field, count + " is not a positive count");
        }
    }

    private void fail(String field, String problem) {
        throw new BrainfmException(parsed.where(field), problem);
    }
}
