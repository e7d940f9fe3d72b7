package org.brainfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /** Tasks across datasets and with stand-in inputs, and a site of its own (line numbers in the comments). */
    static final String CROSS = """
            datasets:
              - name: site-a
                kind: synthetic
                path: a
                contrasts: [t1, t2, flair, dwi]
                generator: {seed: 1, subjects: 6, size: 32}
              - name: site-b
                kind: synthetic
                path: b
                contrasts: [t1, t2, flair, dwi]
                generator:
                  seed: 2
                  subjects: 4
                  size: 32
                  site: {noise: 2, bias: 1.5, gains: {flair: 0.8}, voxel-mm: [6, 6, 12]}
              - name: scans
                kind: fomo
                path: scans
                contrasts: [flair, dwi, swi, t2s]
            tasks:
              - name: infarct
                type: classification
                dataset: site-a
                test-dataset: site-b
                inputs: [flair, dwi]
                label: label.txt
                finetune: 5
                test: 4
                metrics: [auroc]
              - name: bleeds
                type: classification
                dataset: scans
                inputs: [flair, swi]
                alternatives: {swi: [t2s]}
                label: label.txt
                finetune: 1
                test: 1
                metrics: [auroc]
            """;

    @TempDir
    Path tmp;

    @Test
    void theShippedFileDeclaresTheSyntheticDatasetsAndTheFourTasks() {
        Datasets d = Datasets.load(shipped());
        assertThat(d.datasets()).extracting(DatasetSpec::name)
                .contains("synthetic", "synthetic-infarct", "synthetic-meningioma", "synthetic-age", "mricron-template");
        assertThat(d.tasks()).extracting(TaskSpec::name, TaskSpec::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("infarct", TaskType.CLASSIFICATION),
                org.assertj.core.groups.Tuple.tuple("meningioma", TaskType.SEGMENTATION),
                org.assertj.core.groups.Tuple.tuple("brain-age", TaskType.REGRESSION),
                org.assertj.core.groups.Tuple.tuple("anatomy", TaskType.SEGMENTATION));
        // the SSL3D-style task: the phantom's tissue codes 1-7 as classes, in Tissue's order
        assertThat(d.task("anatomy").labelClasses()).hasSize(7).first().isEqualTo("csf");
        assertThat(d.task("meningioma").labelClasses()).isEmpty();
        assertThat(d.task("brain-age").inputs()).containsExactly("t1", "t2");
        assertThat(d.task("infarct").metrics()).contains("auroc", "accuracy");
        assertThat(d.pretraining()).containsExactly("synthetic");
        assertThat(d.dataset("mricron-template").kind()).isEqualTo(DatasetKind.FILES);
        // Like FOMO25, the infarct and meningioma tasks test on another site than they finetune on.
        for (String task : List.of("infarct", "meningioma")) {
            TaskSpec t = d.task(task);
            assertThat(t.testsElsewhere()).as(task).isTrue();
            assertThat(d.dataset(t.dataset()).generator().site()).as(task).isEqualTo(PhantomSite.DEFAULT);
            assertThat(d.dataset(t.testDatasetName()).generator().site()).as(task).isNotEqualTo(PhantomSite.DEFAULT);
        }
        assertThat(d.task("brain-age").testsElsewhere()).isFalse();
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
    void aTestDatasetAlternativesAndASiteLoad() throws IOException {
        Datasets d = Datasets.load(write(CROSS));
        TaskSpec infarct = d.task("infarct");
        assertThat(infarct.testDatasetName()).isEqualTo("site-b");
        assertThat(infarct.testsElsewhere()).isTrue();
        assertThat(infarct.standIns("flair")).isEmpty();
        TaskSpec bleeds = d.task("bleeds");
        assertThat(bleeds.testDatasetName()).isEqualTo("scans");
        assertThat(bleeds.testsElsewhere()).isFalse();
        assertThat(bleeds.standIns("swi")).containsExactly("t2s");
        assertThat(d.dataset("site-b").generator().site())
                .isEqualTo(new PhantomSite(2, 1.5, Map.of("flair", 0.8), List.of(6.0, 6.0, 12.0)));
        assertThat(d.dataset("site-a").generator().site()).isEqualTo(PhantomSite.DEFAULT);
        // A test dataset that is the task's own dataset is no test dataset at all.
        Datasets same = Datasets.load(write(CROSS.replace("test-dataset: site-b", "test-dataset: site-a").replace("test: 4", "test: 1")));
        assertThat(same.task("infarct").testsElsewhere()).isFalse();
    }

    @Test
    void aTestDatasetOrAlternativesThatDoNotFit() throws IOException {
        assertError(CROSS.replace("test-dataset: site-b", "test-dataset: site-c"),
                "24: tasks[0].test-dataset", "\"site-c\" is not a dataset declared here (scans, site-a, site-b)");
        assertError(CROSS.replace("finetune: 5", "finetune: 7"), "27: tasks[0].finetune", "7 cases, but dataset site-a makes 6 subjects");
        assertError(CROSS.replace("test: 4", "test: 5"), "28: tasks[0].test", "5 cases, but test dataset site-b makes 4 subjects");
        assertError(CROSS.replace("test-dataset: site-b", "test-dataset: scans").replace("inputs: [flair, dwi]", "inputs: [flair, t1]"),
                "25: tasks[0].inputs[1]", "\"t1\" is not a contrast of dataset scans (flair, dwi, swi, t2s)");
        assertError(CROSS.replace("    alternatives: {swi: [t2s]}\n", "    test-dataset: site-a\n    alternatives: {swi: [t2s]}\n"),
                "33: tasks[1].inputs[1]", "\"swi\" is not a contrast of dataset site-a (t1, t2, flair, dwi), nor is any stand-in for it (t2s)");
        assertError(CROSS.replace("{swi: [t2s]}", "{dwi: [t2s]}"),
                "34: tasks[1].alternatives.dwi", "\"dwi\" is not an input of the task (flair, swi)");
        assertError(CROSS.replace("{swi: [t2s]}", "{swi: []}"), "34: tasks[1].alternatives.swi", "is missing or empty");
        assertError(CROSS.replace("{swi: [t2s]}", "{swi: [flair]}"),
                "34: tasks[1].alternatives.swi[0]", "\"flair\" is an input of the task itself; a stand-in is another contrast");
        assertError(CROSS.replace("{swi: [t2s]}", "{swi: [t2s, t2s]}"), "34: tasks[1].alternatives.swi[1]", "\"t2s\" is listed twice");
        assertError(CROSS.replace("{swi: [t2s]}", "{swi: [pd]}"),
                "34: tasks[1].alternatives.swi[0]", "\"pd\" is not a contrast of dataset scans (flair, dwi, swi, t2s)");
        assertError(CROSS.replace("{swi: [t2s]}", "{swi: t2s}"), "34: tasks[1].alternatives.swi", "\"t2s\" is not a list");
        assertError(CROSS.replace("{swi: [t2s]}", "[t2s]"), "34: tasks[1].alternatives", "expected a mapping");
    }

    @Test
    void aSiteOutOfRange() throws IOException {
        String site = "15: datasets[1].generator.site.";
        assertError(CROSS.replace("noise: 2", "noise: -1"), site + "noise", "-1.0 is not between 0 and 10");
        assertError(CROSS.replace("bias: 1.5", "bias: 4"), site + "bias", "4.0 is not between 0 and 3");
        assertError(CROSS.replace("{flair: 0.8}", "{swi: 0.8}"), site + "gains.swi", "\"swi\" is not a contrast the phantom makes (t1, t2, flair, dwi)");
        assertError(CROSS.replace("{flair: 0.8}", "{flair: 0}"), site + "gains.flair", "0.0 is not above 0 and at most 4");
        assertError(CROSS.replace("{flair: 0.8}", "{flair: null}"), site + "gains.flair", "needs a factor on the contrast's intensities");
        assertError(CROSS.replace("[6, 6, 12]", "[6, 12]"), site + "voxel-mm", "has 2 values; it needs three (x, y, z mm)");
        assertError(CROSS.replace("[6, 6, 12]", "[6, 6, 9]"), site + "voxel-mm[2]",
                "9.0 is not one of 6, 12 mm (whole multiples of the 6 mm voxel of the size-32 render grid that divide it and leave at least 16 voxels)");
        assertError(CROSS.replace("noise: 2", "nois: 2"), site + "nois", "unknown field; expected one of bias, gains, noise, voxel-mm");
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
                "unknown field; expected one of alternatives, classes, dataset, description, finetune, inputs, label, metrics, name, protocol, public-cases, seeds, test, test-dataset, type");
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
