package org.brainfm.data;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.data.DatasetsYaml.Parsed;
import org.brainfm.data.DatasetsYaml.Raw;
import org.brainfm.metrics.TaskType;
import org.junit.jupiter.api.Test;

/**
 * The checks on parsed records, without YAML: lines come from the map the parser would have
 * made, so these pin how a field is placed (its own line, else its nearest enclosing field's).
 */
class DatasetsValidatorTest {
    private static final Path FILE = Path.of("datasets.yaml");
    private static final DatasetSpec TINY = new DatasetSpec("tiny", DatasetKind.SYNTHETIC, null, null,
            list("t1", "t2"), new PhantomSettings(1, 12, 1, 32, 0.5, 0.5), null, null);
    private static final TaskSpec AGE = new TaskSpec("age", TaskType.REGRESSION, "tiny", null, list("t1"), null,
            "age.txt", 4, 6, list("mae"), null, null, null, null, null);

    @Test
    void validRecordsPass() {
        assertThatCode(() -> DatasetsValidator.check(parsed(new Raw(list(TINY), list(AGE), list("tiny")), Map.of())))
                .doesNotThrowAnyException();
        assertThatCode(() -> DatasetsValidator.check(parsed(new Raw(list(TINY), null, null), Map.of())))
                .doesNotThrowAnyException();
    }

    @Test
    void aMistakeIsPlacedAtItsFieldsLine() {
        TaskSpec swi = new TaskSpec("age", TaskType.REGRESSION, "tiny", null, list("t1", "swi"), null, "age.txt", 4, 6, list("mae"), null, null, null, null, null);
        assertFails(new Raw(list(TINY), list(swi), null), Map.of("tasks[0]", 7, "tasks[0].inputs", 9, "tasks[0].inputs[1]", 9),
                "datasets.yaml:9: tasks[0].inputs[1]", "\"swi\" is not a contrast of dataset tiny (t1, t2)");
    }

    @Test
    void aFieldTheFileLeavesOutIsPlacedAtTheNearestEnclosingOne() {
        TaskSpec noLabel = new TaskSpec("age", TaskType.REGRESSION, "tiny", null, list("t1"), null, null, 4, 6, list("mae"), null, null, null, null, null);
        assertFails(new Raw(list(TINY), list(noLabel), null), Map.of("tasks", 5, "tasks[0]", 7),
                "datasets.yaml:7: tasks[0].label", "is missing; it needs the label file of each case (seg.nii.gz, label.txt, age.txt)");
        assertFails(new Raw(list(TINY), list(noLabel), null), Map.of(),
                "datasets.yaml:1: tasks[0].label", "is missing");
    }

    @Test
    void aMultiClassSegmentationNamesTwoOrMoreClassesOnce() {
        TaskSpec anatomy = new TaskSpec("anatomy", TaskType.SEGMENTATION, "tiny", null, list("t1"), null, "tissue.nii.gz", 4, 6,
                list("dice"), null, null, null, null, list("csf", "white-matter"));
        assertThatCode(() -> DatasetsValidator.check(parsed(new Raw(list(TINY), list(anatomy), null), Map.of())))
                .doesNotThrowAnyException();
        assertFails(new Raw(list(TINY), list(withClasses(anatomy, list("csf"))), null), Map.of("tasks[0].classes", 12),
                "datasets.yaml:12: tasks[0].classes", "names 1 class; a binary task (foreground: every nonzero voxel) lists none");
        assertFails(new Raw(list(TINY), list(withClasses(anatomy, list("csf", "White matter"))), null), Map.of(),
                "datasets.yaml:1: tasks[0].classes[1]", "\"White matter\" is not a class name");
        assertFails(new Raw(list(TINY), list(withClasses(anatomy, list("csf", "gm", "csf"))), null), Map.of(),
                "datasets.yaml:1: tasks[0].classes[2]", "\"csf\" is listed twice");
        TaskSpec age = new TaskSpec("age", TaskType.REGRESSION, "tiny", null, list("t1"), null, "age.txt", 4, 6, list("mae"), null, null,
                null, null, list("young", "old"));
        assertFails(new Raw(list(TINY), list(age), null), Map.of(), "datasets.yaml:1: tasks[0].classes",
                "only a segmentation task has classes");
    }

    private static TaskSpec withClasses(TaskSpec t, List<String> classes) {
        return new TaskSpec(t.name(), t.type(), t.dataset(), t.testDataset(), t.inputs(), t.alternatives(), t.label(), t.finetune(),
                t.test(), t.metrics(), t.seeds(), t.description(), t.protocol(), t.publicCases(), classes);
    }

    @Test
    void tasksAreCheckedAgainstTheDeclaredDatasets() {
        assertFails(new Raw(list(TINY), list(AGE, AGE), null), Map.of(),
                "datasets.yaml:1: tasks[1].name", "\"age\" is declared twice");
        assertFails(new Raw(list(TINY), null, list("tiny", "fomo60k")), Map.of("pretraining[1]", 3),
                "datasets.yaml:3: pretraining[1]", "\"fomo60k\" is not a dataset declared here (tiny)");
        assertFails(new Raw(null, list(AGE), null), Map.of(), "datasets.yaml:1: datasets", "is missing or empty");
    }

    private static void assertFails(Raw raw, Map<String, Integer> lines, String what, String problem) {
        assertThatThrownBy(() -> DatasetsValidator.check(parsed(raw, lines)))
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith(what + ": " + problem);
    }

    /** A list as Jackson makes it: {@code List.of} would throw on the checks' {@code indexOf(null)}. */
    @SafeVarargs
    private static <T> List<T> list(T... items) {
        return Arrays.asList(items);
    }

    private static Parsed parsed(Raw raw, Map<String, Integer> lines) {
        return new Parsed(FILE, raw, lines);
    }
}
