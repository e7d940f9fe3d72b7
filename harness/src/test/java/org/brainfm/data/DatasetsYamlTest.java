package org.brainfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.brainfm.BrainfmException;
import org.brainfm.metrics.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** datasets.yaml: the shipped file loads; every kind of mistake names the line and the field. */
class DatasetsYamlTest {
    /** A valid file; the tests break one line of it at a time (line numbers in the comments). */
    static final String VALID = """
            datasets:
              - name: tiny
                kind: synthetic
                path: tiny
                contrasts: [t1, t2, flair, dwi]
                generator: {seed: 1, subjects: 12, sessions: 1, size: 32, meningioma-share: 0.5, infarct-share: 0.5}
              - name: real
                kind: fomo
                path: real
                contrasts: [t1, flair]
            tasks:
              - name: infarct
                type: classification
                dataset: tiny
                inputs: [flair, dwi]
                label: label.txt
                finetune: 4
                test: 6
                metrics: [auroc, accuracy]
                seeds: [1, 2]
              - name: meningioma
                type: segmentation
                dataset: tiny
                inputs: [flair]
                label: seg.nii.gz
                finetune: 4
                test: 6
                metrics: [dice, nsd, hd95]
            pretraining: [tiny]
            """;

    @TempDir
    Path tmp;

    @Test
    void theShippedFileDeclaresTheSyntheticDatasetsAndTheThreeTasks() {
        Datasets d = Datasets.load(shipped());
        assertThat(d.datasets()).extracting(DatasetSpec::name)
                .contains("synthetic", "synthetic-infarct", "synthetic-meningioma", "synthetic-age", "mricron-template");
        assertThat(d.tasks()).extracting(TaskSpec::name, TaskSpec::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("infarct", TaskType.CLASSIFICATION),
                org.assertj.core.groups.Tuple.tuple("meningioma", TaskType.SEGMENTATION),
                org.assertj.core.groups.Tuple.tuple("brain-age", TaskType.REGRESSION));
        assertThat(d.task("brain-age").inputs()).containsExactly("t1", "t2");
        assertThat(d.task("infarct").metrics()).contains("auroc", "accuracy");
        assertThat(d.pretraining()).containsExactly("synthetic");
        assertThat(d.dataset("mricron-template").kind()).isEqualTo(DatasetKind.FILES);
        assertThat(d.root("synthetic")).isEqualTo(shipped().toAbsolutePath().getParent().resolve(".brainfm/data/synthetic").normalize());
    }

    @Test
    void aValidFileLoadsWithDefaults() throws IOException {
        Datasets d = Datasets.load(write(VALID));
        assertThat(d.dataset("tiny").generator()).isEqualTo(new PhantomSettings(1, 12, 1, 32, 0.5, 0.5));
        assertThat(d.task("meningioma").seeds()).isNull();
        assertThat(d.where("tasks[1].type")).isEqualTo(tmp.resolve("datasets.yaml") + ":22: tasks[1].type");
        Datasets defaults = Datasets.load(write(VALID.replace(
                "{seed: 1, subjects: 12, sessions: 1, size: 32, meningioma-share: 0.5, infarct-share: 0.5}", "{subjects: 12}")));
        assertThat(defaults.dataset("tiny").generator()).isEqualTo(new PhantomSettings(0, 12, 1, 64, 0.3, 0.3));
    }

    @Test
    void aMisspelledEnumValue() throws IOException {
        assertError(VALID.replace("type: segmentation", "type: segmentaton"),
                "22: tasks[1].type", "\"segmentaton\" is not one of segmentation, classification, regression");
        assertError(VALID.replace("kind: fomo", "kind: fomoo"),
                "8: datasets[1].kind", "\"fomoo\" is not one of synthetic, fomo, nnunet, files");
    }

    @Test
    void anUnknownField() throws IOException {
        assertError(VALID.replace("seeds: [1, 2]", "seed: [1, 2]"), "20: tasks[0].seed",
                "unknown field; expected one of dataset, description, finetune, inputs, label, metrics, name, protocol, public-cases, seeds, test, type");
        assertError(VALID.replace("subjects: 12,", "subject: 12,"), "6: datasets[0].generator.subject", "unknown field");
        assertError(VALID.replace("pretraining: [tiny]", "pretrain: [tiny]"), "29: pretrain", "unknown field");
    }

    @Test
    void aMissingField() throws IOException {
        assertError(VALID.replace("    label: seg.nii.gz\n", ""), "21: tasks[1].label", "is missing");
        assertError(VALID.replace("    path: real\n", ""), "7: datasets[1].path", "is missing; it needs the data root of a fomo dataset");
        assertError(VALID.replace("  - name: tiny\n", "  - kind: synthetic\n").replace("    kind: synthetic\n    path", "    path"),
                "2: datasets[0].name", "is missing");
        assertError(VALID.replace("    generator: {seed: 1, subjects: 12, sessions: 1, size: 32, meningioma-share: 0.5, infarct-share: 0.5}\n", ""),
                "2: datasets[0].generator", "is missing");
        assertError("tasks: []\n", "1: datasets", "is missing or empty");
    }

    @Test
    void aWrongType() throws IOException {
        assertError(VALID.replace("finetune: 4\n    test: 6\n    metrics: [auroc", "finetune: many\n    test: 6\n    metrics: [auroc"),
                "17: tasks[0].finetune", "\"many\" is not a whole number");
        assertError(VALID.replace("finetune: 4\n    test: 6\n    metrics: [auroc", "finetune: 4.5\n    test: 6\n    metrics: [auroc"),
                "17: tasks[0].finetune", "4.5 is not a whole number");
        assertError(VALID.replace("inputs: [flair]", "inputs: flair"), "24: tasks[1].inputs", "\"flair\" is not a list");
        assertError(VALID.replace("label: seg.nii.gz", "label: [seg.nii.gz]"), "25: tasks[1].label", "expected a text value");
        assertError(VALID.replace("size: 32", "size: big"), "6: datasets[0].generator.size", "\"big\" is not a whole number");
        assertError(VALID.replace("pretraining: [tiny]", "pretraining: tiny"), "29: pretraining", "\"tiny\" is not a list");
    }

    @Test
    void aReferenceToSomethingUndeclared() throws IOException {
        assertError(VALID.replace("dataset: tiny\n    inputs: [flair]", "dataset: tiny2\n    inputs: [flair]"),
                "23: tasks[1].dataset", "\"tiny2\" is not a dataset declared here (real, tiny)");
        assertError(VALID.replace("inputs: [flair]", "inputs: [flair, swi]"),
                "24: tasks[1].inputs[1]", "\"swi\" is not a contrast of dataset tiny (t1, t2, flair, dwi)");
        assertError(VALID.replace("pretraining: [tiny]", "pretraining: [tiny, fomo60k]"),
                "29: pretraining[1]", "\"fomo60k\" is not a dataset declared here");
    }

    @Test
    void aMetricThatDoesNotFitTheTask() throws IOException {
        assertError(VALID.replace("metrics: [dice, nsd, hd95]", "metrics: [dice, auroc]"),
                "28: tasks[1].metrics[1]", "\"auroc\" does not fit a segmentation task; use dice, nsd, hd95");
        assertError(VALID.replace("label: seg.nii.gz", "label: label.txt"),
                "25: tasks[1].label", "\"label.txt\" does not fit a segmentation task: it needs a mask (.nii.gz or .nii)");
    }

    @Test
    void countsAndSettingsOutOfRange() throws IOException {
        assertError(VALID.replace("test: 6\n    metrics: [dice", "test: 0\n    metrics: [dice"), "27: tasks[1].test", "0 is not a positive count");
        assertError(VALID.replace("finetune: 4\n    test: 6\n    metrics: [auroc", "finetune: -1\n    test: 6\n    metrics: [auroc"),
                "17: tasks[0].finetune", "-1 is not a positive count");
        assertError(VALID.replace("finetune: 4\n    test: 6\n    metrics: [auroc", "finetune: 8\n    test: 6\n    metrics: [auroc"),
                "18: tasks[0].test", "finetune + test = 14 cases, but dataset tiny makes 12 subjects");
        assertError(VALID.replace("size: 32", "size: 33"), "6: datasets[0].generator.size", "33 is not a multiple of 16");
        assertError(VALID.replace("infarct-share: 0.5", "infarct-share: 1.5"), "6: datasets[0].generator.infarct-share", "1.5 is not between 0 and 1");
        assertError(VALID.replace("subjects: 12", "subjects: 0"), "6: datasets[0].generator.subjects", "0 is not between 1 and");
    }

    @Test
    void namesAndKindSpecificFields() throws IOException {
        assertError(VALID.replace("name: real", "name: tiny"), "7: datasets[1].name", "\"tiny\" is declared twice");
        assertError(VALID.replace("contrasts: [t1, flair]", "contrasts: [T1, flair]"), "10: datasets[1].contrasts[0]", "\"T1\" is not a contrast name");
        assertError(VALID.replace("contrasts: [t1, t2, flair, dwi]", "contrasts: [t1, swi]"),
                "5: datasets[0].contrasts[1]", "\"swi\" is not a contrast the phantom makes (t1, t2, flair, dwi)");
        assertError(VALID.replace("contrasts: [t1, flair]\n", "contrasts: [t1, flair]\n    generator: {seed: 1}\n"),
                "11: datasets[1].generator", "does not apply to a fomo dataset");
        assertError(VALID.replace("path: tiny\n", "path: tiny\n    labels: there\n"), "5: datasets[0].labels", "does not apply to a synthetic dataset");
    }

    @Test
    void yamlSyntaxDuplicatesEmptyAndMissingFiles() throws IOException {
        assertThatThrownBy(() -> Datasets.load(write(VALID.replace("contrasts: [t1, flair]", "contrasts: [t1, flair"))))
                .isInstanceOf(BrainfmException.class)
                .satisfies(e -> assertThat(((BrainfmException) e).what()).matches(".*datasets.yaml:1[01](: .*)?"))
                .hasMessageContaining("invalid YAML");
        assertError(VALID.replace("    test: 6\n    metrics: [dice", "    test: 6\n    test: 7\n    metrics: [dice"),
                "28: tasks[1].test", "is given twice");
        assertThatThrownBy(() -> Datasets.load(write("")))
                .hasMessage(tmp.resolve("datasets.yaml") + ": is empty; it needs a datasets list");
        assertThatThrownBy(() -> Datasets.load(tmp.resolve("absent.yaml")))
                .isInstanceOf(BrainfmException.class).hasMessage(tmp.resolve("absent.yaml") + ": no such file");
    }

    @Test
    void aFilesDatasetWhosePathIsAbsentLoadsAndFailsOnlyWhenOpened() throws IOException {
        Path file = write(VALID.replace("datasets:\n", """
                datasets:
                  - name: template
                    kind: files
                    description: needs mricron-data
                    path: /nonexistent/mricron/templates
                    contrasts: [t1]
                    subjects:
                      - id: ch2
                        files: {t1: ch2.nii.gz}
                """));
        Datasets d = Datasets.load(file);
        assertThatThrownBy(() -> d.open("template")).isInstanceOf(BrainfmException.class)
                .hasMessage(file + ":5: datasets[0].path: /nonexistent/mricron/templates does not exist (template: needs mricron-data)");
        assertError(VALID.replace("datasets:\n", """
                datasets:
                  - name: template
                    kind: files
                    path: /x
                    contrasts: [t1]
                    subjects:
                      - id: ch2
                        files: {t2: ch2.nii.gz}
                """), "8: datasets[0].subjects[0].files.t2", "\"t2\" is not one of the dataset's contrasts (t1)");
    }

    private void assertError(String yaml, String lineAndField, String problem) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> Datasets.load(file))
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith(file + ":" + lineAndField + ": " + problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("datasets.yaml"), yaml);
    }

    static Path shipped() {
        for (Path p : List.of(Path.of("datasets.yaml"), Path.of("../datasets.yaml"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError("datasets.yaml not found from " + Path.of("").toAbsolutePath());
    }
}
