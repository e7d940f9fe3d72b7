package org.brainfm.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;
import org.brainfm.metrics.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datasets and tasks of a datasets.yaml, checked on load, and the way to their files:
 * {@link #open} lists a dataset's subjects, sessions, images and labels (making a synthetic one
 * on first use), {@link #pretrainingCorpus} the sessions to pretrain on, {@link #split} the
 * finetuning and test cases of a task. Errors name the file, the line and the field.
 */
public final class Datasets {
    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);
    /** Where a synthetic dataset without a path is made, relative to datasets.yaml. */
    public static final String SYNTHETIC_HOME = ".brainfm/data";

    private final Path file;
    private final List<DatasetSpec> datasets;
    private final List<TaskSpec> tasks;
    private final List<String> pretraining;
    private final Map<String, Integer> lines;

    Datasets(Path file, List<DatasetSpec> datasets, List<TaskSpec> tasks, List<String> pretraining, Map<String, Integer> lines) {
        this.file = file;
        this.datasets = List.copyOf(datasets);
        this.tasks = List.copyOf(tasks);
        this.pretraining = List.copyOf(pretraining);
        this.lines = Map.copyOf(lines);
    }

    /** Reads and checks a datasets.yaml; a mistake is a {@link BrainfmException} naming file, line and field. */
    public static Datasets load(Path file) {
        return DatasetsYaml.load(file);
    }

    public Path file() {
        return file;
    }

    public List<DatasetSpec> datasets() {
        return datasets;
    }

    public List<TaskSpec> tasks() {
        return tasks;
    }

    /** Names of the datasets listed under {@code pretraining}. */
    public List<String> pretraining() {
        return pretraining;
    }

    public DatasetSpec dataset(String name) {
        return datasets.get(datasetIndex(name));
    }

    public TaskSpec task(String name) {
        return tasks.get(taskIndex(name));
    }

    /** {@code file:line: field}, to name a field of this file in an error. */
    public String where(String field) {
        return DatasetsYaml.where(file, lines, field);
    }

    /** The data root of a dataset, relative paths read from the folder of datasets.yaml. */
    public Path root(String name) {
        DatasetSpec d = dataset(name);
        String path = d.path() != null ? d.path() : SYNTHETIC_HOME + "/" + d.name();
        return resolve(path);
    }

    /**
     * Opens a dataset: lists its subjects, sessions, images and labels. A synthetic dataset is
     * made first when its folder does not hold the phantom of its settings (a few seconds).
     */
    public Dataset open(String name) {
        int i = datasetIndex(name);
        DatasetSpec d = datasets.get(i);
        String at = "datasets[" + i + "]";
        Path root = root(name);
        List<Subject> subjects = switch (d.kind()) {
            case SYNTHETIC -> {
                ensurePhantom(d, root);
                yield Layouts.fomo(root, null, d.contrasts(), where(at + ".path"));
            }
            case FOMO -> {
                requireDirectory(root, at + ".path", d);
                Path labels = d.labels() == null ? null : resolve(d.labels());
                if (labels != null) {
                    requireDirectory(labels, at + ".labels", d);
                }
                yield Layouts.fomo(root, labels, d.contrasts(), where(at + ".path"));
            }
            case NNUNET -> {
                requireDirectory(root, at + ".path", d);
                yield Layouts.nnunet(root, d.contrasts(), where(at + ".path"));
            }
            case FILES -> {
                requireDirectory(root, at + ".path", d);
                yield Layouts.files(root, d, where(at + ".path"));
            }
        };
        return new Dataset(d, root, subjects);
    }

    /** Every session of the datasets listed under {@code pretraining}, opened in order. */
    public List<Session> pretrainingCorpus() {
        return pretraining.stream().flatMap(n -> open(n).sessions().stream()).toList();
    }

    /**
     * All cases of a task's (finetuning) dataset, in its subject order: per subject its first
     * session, the task's inputs (or their stand-ins) and its label; a subject without them is
     * an error.
     */
    public List<Case> cases(String taskName) {
        int ti = taskIndex(taskName);
        TaskSpec t = tasks.get(ti);
        return open(t.dataset()).subjects().stream().map(s -> caseOf(ti, s, true).orElseThrow()).toList();
    }

    /**
     * The cases of one finetuning run. The test cases are the test dataset's last {@code test}
     * subjects whatever the seed. The {@code finetune} cases are drawn by {@code seed} from the
     * finetuning dataset's other subjects (all of them when the test set is in another dataset),
     * for classification in the pool's class proportions, each class at least once; a subject
     * lacking an input and all its stand-ins is left out of the pool.
     */
    public Split split(String taskName, long seed) {
        int ti = taskIndex(taskName);
        TaskSpec t = tasks.get(ti);
        String at = "tasks[" + ti + "]";
        List<Subject> subjects = open(t.dataset()).subjects();
        List<Subject> testSubjects = t.testsElsewhere() ? open(t.testDatasetName()).subjects() : subjects;
        if (!t.testsElsewhere() && t.finetune() + t.test() > subjects.size()) {
            throw new BrainfmException(where(at + ".test"), "finetune + test = " + (t.finetune() + t.test())
                    + " cases, but dataset " + t.dataset() + " has " + subjects.size() + " subjects");
        }
        if (t.testsElsewhere() && t.test() > testSubjects.size()) {
            throw new BrainfmException(where(at + ".test"), t.test() + " cases, but test dataset " + t.testDatasetName()
                    + " has " + testSubjects.size() + " subjects");
        }
        List<Subject> candidates = t.testsElsewhere() ? subjects : subjects.subList(0, subjects.size() - t.test());
        List<Case> pool = new ArrayList<>();
        for (Subject s : candidates) {
            caseOf(ti, s, false).ifPresent(pool::add);
        }
        if (pool.size() < t.finetune()) {
            throw new BrainfmException(where(at + ".finetune"), t.finetune() + " cases, but dataset " + t.dataset() + " has "
                    + pool.size() + (t.testsElsewhere() ? "" : " outside the test set") + " with every input or a stand-in"
                    + (pool.size() == candidates.size() ? "" : " (" + (candidates.size() - pool.size()) + " lack one)"));
        }
        List<Case> test = testSubjects.subList(testSubjects.size() - t.test(), testSubjects.size()).stream()
                .map(s -> caseOf(ti, s, true).orElseThrow()).toList();
        Map<String, Integer> order = new LinkedHashMap<>();
        for (int i = 0; i < pool.size(); i++) {
            order.put(pool.get(i).subject(), i);
        }
        SplittableRandom r = new SplittableRandom(Anatomy.mix(seed, t.name().hashCode()));
        for (int i = pool.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Case c = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, c);
        }
        List<Case> chosen = t.type() == TaskType.CLASSIFICATION ? stratified(pool, t.finetune()) : pool.subList(0, t.finetune());
        List<Case> finetune = new ArrayList<>(chosen);
        finetune.sort(Comparator.comparing(c -> order.get(c.subject())));
        return new Split(t.name(), seed, finetune, test);
    }

    /**
     * Subject {@code s}'s case of task {@code ti}: its first session, each input (else the first
     * stand-in it has) and the label. Empty when it lacks an input that has stand-ins and all of
     * them, unless {@code required}; then, and for a missing input without stand-ins or a missing
     * label, an error naming the case.
     */
    private Optional<Case> caseOf(int ti, Subject s, boolean required) {
        TaskSpec t = tasks.get(ti);
        Session ses = s.sessions().get(0);
        Map<String, Path> inputs = new LinkedHashMap<>();
        for (String c : t.inputs()) {
            Optional<String> present = Stream.concat(Stream.of(c), t.standIns(c).stream()).filter(ses::has).findFirst();
            if (present.isEmpty() && !t.standIns(c).isEmpty() && !required) {
                return Optional.empty();
            }
            if (present.isEmpty()) {
                String standIns = t.standIns(c).isEmpty() ? "" : " nor a stand-in (" + String.join(", ", t.standIns(c)) + ")";
                throw new BrainfmException(where("tasks[" + ti + "].inputs"), s.id() + "/" + ses.id() + " has no " + c + " image"
                        + standIns + " in " + ses.dir());
            }
            inputs.put(c, ses.contrast(present.get()));
        }
        Path label = ses.findLabel(t.label()).orElseThrow(() -> new BrainfmException(where("tasks[" + ti + "].label"),
                s.id() + "/" + ses.id() + " has no " + t.label() + " (looked in " + ses.dir() + " and its subject folder)"));
        double target = t.type().labelIsImage() ? Double.NaN : number(label, t.type());
        return Optional.of(new Case(s.id(), ses.id(), inputs, label, target));
    }

    /** {@code n} cases from a shuffled pool with each class's share kept (largest remainder), each class at least once. */
    private static List<Case> stratified(List<Case> pool, int n) {
        Map<Double, List<Case>> byClass = new TreeMap<>();
        for (Case c : pool) {
            byClass.computeIfAbsent(c.target(), k -> new ArrayList<>()).add(c);
        }
        Map<Double, Integer> take = new TreeMap<>();
        int given = 0;
        for (Map.Entry<Double, List<Case>> e : byClass.entrySet()) {
            int k = Math.max(n >= byClass.size() ? 1 : 0, (int) Math.floor((double) n * e.getValue().size() / pool.size()));
            take.put(e.getKey(), Math.min(k, e.getValue().size()));
            given += take.get(e.getKey());
        }
        while (given < n) {
            Double best = null;
            double bestGap = Double.NEGATIVE_INFINITY;
            for (Map.Entry<Double, List<Case>> e : byClass.entrySet()) {
                double gap = (double) n * e.getValue().size() / pool.size() - take.get(e.getKey());
                if (take.get(e.getKey()) < e.getValue().size() && gap > bestGap) {
                    best = e.getKey();
                    bestGap = gap;
                }
            }
            take.merge(best, 1, Integer::sum);
            given++;
        }
        List<Case> chosen = new ArrayList<>();
        for (Map.Entry<Double, List<Case>> e : byClass.entrySet()) {
            chosen.addAll(e.getValue().subList(0, take.get(e.getKey())));
        }
        return chosen.subList(0, Math.min(n, chosen.size()));
    }

    private double number(Path label, TaskType type) {
        String text;
        try {
            text = Files.readString(label).trim();
        } catch (IOException e) {
            throw new BrainfmException(label.toString(), "cannot read: " + e.getMessage(), e);
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new BrainfmException(label.toString(), "\"" + text + "\" is not a number");
        }
        if (!Double.isFinite(v) || type == TaskType.CLASSIFICATION && v != 0 && v != 1) {
            throw new BrainfmException(label.toString(), text + " is not " + (type == TaskType.CLASSIFICATION ? "0 or 1" : "a finite number"));
        }
        return v;
    }

    /**
     * Makes a synthetic dataset on first use. Processes that start together (workers, tests) take
     * turns through a lock file beside it, and the one that comes second finds it made.
     */
    private void ensurePhantom(DatasetSpec d, Path root) {
        Path dir = root.toAbsolutePath().normalize();
        if (isMade(d, dir)) {
            return; // the common case: no lock file to write
        }
        Path lock = dir.resolveSibling("." + dir.getFileName() + ".lock");
        synchronized (Datasets.class) {
            try {
                Files.createDirectories(dir.getParent());
                try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock held = channel.lock()) {
                    if (isMade(d, dir)) {
                        return;
                    }
                    PhantomSettings s = d.generator();
                    LOG.info("making synthetic dataset {} ({} subjects x {} sessions at {}^3) in {}", d.name(), s.subjects(),
                            s.sessions(), s.size(), root);
                    PhantomWriter.write(s, root);
                }
            } catch (IOException e) {
                throw new BrainfmException(lock.toString(), "cannot take the lock that guards making the dataset: "
                        + e.getMessage(), e);
            }
        }
    }

    private static boolean isMade(DatasetSpec d, Path root) {
        Path file = root.resolve(PhantomWriter.MANIFEST);
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(PhantomWriter.manifest(d.generator()));
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    private void requireDirectory(Path dir, String field, DatasetSpec d) {
        if (!Files.isDirectory(dir)) {
            throw new BrainfmException(where(field), dir + " does not exist"
                    + (d.description() == null ? "" : " (" + d.name() + ": " + d.description() + ")"));
        }
    }

    private Path resolve(String path) {
        String expanded = path.equals("~") || path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
        Path p = Path.of(expanded);
        if (p.isAbsolute()) {
            return p;
        }
        Path base = file.toAbsolutePath().getParent();
        return base == null ? p : base.resolve(p).normalize();
    }

    private int datasetIndex(String name) {
        for (int i = 0; i < datasets.size(); i++) {
            if (datasets.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new BrainfmException(file.toString(), "no dataset named \"" + name + "\" (declared: "
                + String.join(", ", datasets.stream().map(DatasetSpec::name).toList()) + ")");
    }

    private int taskIndex(String name) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new BrainfmException(file.toString(), "no task named \"" + name + "\" (declared: "
                + String.join(", ", tasks.stream().map(TaskSpec::name).toList()) + ")");
    }
}
