package org.brainfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.brainfm.BrainfmException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening datasets of every kind, the pretraining corpus and task splits, on real files. */
class DatasetsTest {
    static final String YAML = """
            datasets:
              - name: tiny
                kind: synthetic
                path: data/tiny
                contrasts: [t1, t2, flair, dwi]
                generator: {seed: 5, subjects: 14, sessions: 2, size: 32, meningioma-share: 0.5, infarct-share: 0.5}
              - name: copy
                kind: fomo
                path: fomo/images
                labels: fomo/labels
                contrasts: [t1, flair]
              - name: nn
                kind: nnunet
                path: nn
                contrasts: [flair, dwi]
              - name: template
                kind: files
                path: /usr/share/mricron/templates
                contrasts: [t1]
                subjects: [{id: ch2, files: {t1: ch2.nii.gz}}]
            pretraining: [tiny]
            tasks:
              - {name: infarct, type: classification, dataset: tiny, inputs: [flair, dwi], label: label.txt, finetune: 6, test: 5, metrics: [auroc], seeds: [1, 2]}
              - {name: men, type: segmentation, dataset: nn, inputs: [flair, dwi], label: seg.nii.gz, finetune: 2, test: 2, metrics: [dice]}
              - {name: age, type: regression, dataset: copy, inputs: [t1, flair], label: age.txt, finetune: 3, test: 3, metrics: [mae]}
              - {name: big, type: regression, dataset: copy, inputs: [t1], label: age.txt, finetune: 5, test: 5, metrics: [mae]}
              - {name: nolabel, type: regression, dataset: copy, inputs: [t1], label: weight.txt, finetune: 1, test: 1, metrics: [mae]}
            """;

    @TempDir
    static Path tmp;

    static Datasets datasets;
    static Dataset tiny;

    @BeforeAll
    static void setUp() throws IOException {
        datasets = Datasets.load(Files.writeString(tmp.resolve("datasets.yaml"), YAML));
        tiny = datasets.open("tiny");
        // The same subjects in a FOMO tree with labels beside it, and in an nnU-Net tree.
        for (int s = 1; s <= 6; s++) {
            Path from = tmp.resolve("data/tiny/sub_" + s + "/ses_1");
            Path images = Files.createDirectories(tmp.resolve("fomo/images/sub_" + s + "/ses_1"));
            Path labels = Files.createDirectories(tmp.resolve("fomo/labels/sub_" + s + "/ses_1"));
            Files.copy(from.resolve("t1.nii.gz"), images.resolve("t1.nii.gz"));
            Files.copy(from.resolve("flair.nii.gz"), images.resolve("flair.nii.gz"));
            Files.copy(from.resolveSibling("age.txt"), labels.resolve("age.txt"));
            Path nn = Files.createDirectories(tmp.resolve("nn/imagesTr"));
            Files.createDirectories(tmp.resolve("nn/labelsTr"));
            Files.copy(from.resolve("flair.nii.gz"), nn.resolve("case" + s + "_0000.nii.gz"));
            Files.copy(from.resolve("dwi.nii.gz"), nn.resolve("case" + s + "_0001.nii.gz"));
            Files.copy(from.resolve("seg.nii.gz"), tmp.resolve("nn/labelsTr/case" + s + ".nii.gz"));
        }
    }

    @Test
    void aSyntheticDatasetListsSubjectsSessionsImagesAndLabels() {
        assertThat(tiny.root()).isEqualTo(tmp.resolve("data/tiny"));
        assertThat(tiny.subjects()).extracting(Subject::id).containsExactly(
                "sub_1", "sub_2", "sub_3", "sub_4", "sub_5", "sub_6", "sub_7", "sub_8", "sub_9", "sub_10", "sub_11", "sub_12", "sub_13", "sub_14");
        Subject s = tiny.subjects().get(9);
        assertThat(s.sessions()).extracting(Session::id).containsExactly("ses_1", "ses_2");
        Session ses = s.sessions().get(1);
        assertThat(ses.contrasts().keySet()).containsExactlyInAnyOrder("t1", "t2", "flair", "dwi");
        assertThat(ses.contrast("flair")).isEqualTo(tmp.resolve("data/tiny/sub_10/ses_2/flair.nii.gz")).isRegularFile();
        assertThat(ses.labels().keySet()).containsExactlyInAnyOrder("seg.nii.gz", "tissue.nii.gz", "label.txt", "age.txt");
        assertThat(ses.label("age.txt")).isEqualTo(tmp.resolve("data/tiny/sub_10/age.txt"));
        assertThatThrownBy(() -> ses.contrast("swi")).isInstanceOf(BrainfmException.class)
                .hasMessageContaining("no swi image in sub_10/ses_2 (has dwi, flair, t1, t2)");
        assertThat(datasets.pretrainingCorpus()).hasSize(28);
    }

    @Test
    void aMadeSyntheticDatasetIsReusedAndMadeAgainWhenItsSettingsChange() throws IOException {
        Path manifest = tmp.resolve("data/tiny/phantom.json");
        FileTime made = Files.getLastModifiedTime(manifest);
        assertThat(datasets.open("tiny").subjects()).hasSize(14);
        assertThat(Files.getLastModifiedTime(manifest)).isEqualTo(made);
        Path other = Files.writeString(tmp.resolve("other.yaml"), YAML.replace("subjects: 14,", "subjects: 2,").replace("finetune: 6, test: 5", "finetune: 1, test: 1"));
        Datasets changed = Datasets.load(other);
        Path root = changed.root("tiny");
        assertThat(root).isEqualTo(tmp.resolve("data/tiny"));
        Path copy = tmp.resolve("data/tiny-copy");
        Datasets elsewhere = Datasets.load(Files.writeString(tmp.resolve("elsewhere.yaml"),
                Files.readString(other).replace("path: data/tiny", "path: data/tiny-copy")));
        assertThat(elsewhere.open("tiny").subjects()).hasSize(2);
        assertThat(Files.readString(copy.resolve("phantom.json"))).contains("\"subjects\" : 2");
        // Subject 1 is the same whatever the number of subjects.
        assertThat(Files.readAllBytes(copy.resolve("sub_1/ses_2/t1.nii.gz")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("data/tiny/sub_1/ses_2/t1.nii.gz")));
    }

    @Test
    void aSplitKeepsTheTestCasesAndDrawsFinetuningCasesPerSeed() throws IOException {
        List<Case> all = datasets.cases("infarct");
        assertThat(all).hasSize(14);
        for (Case c : all) {
            assertThat(c.inputs().keySet()).containsExactly("flair", "dwi");
            assertThat(c.target()).isEqualTo(Double.parseDouble(Files.readString(c.label()).trim()));
            assertThat(c.session()).isEqualTo("ses_1");
        }
        Set<List<String>> draws = new HashSet<>();
        for (long seed = 1; seed <= 6; seed++) {
            Split split = datasets.split("infarct", seed);
            assertThat(split.test()).extracting(Case::subject).containsExactly("sub_10", "sub_11", "sub_12", "sub_13", "sub_14");
            List<String> finetune = split.finetune().stream().map(Case::subject).toList();
            assertThat(finetune).hasSize(6).doesNotHaveDuplicates().allMatch(id -> Integer.parseInt(id.substring(4)) <= 9);
            assertThat(split.finetune()).extracting(Case::target).contains(0.0, 1.0);
            assertThat(datasets.split("infarct", seed)).isEqualTo(split);
            draws.add(finetune);
        }
        assertThat(draws).as("different seeds draw different finetuning cases").hasSizeGreaterThan(1);
    }

    @Test
    void fomoWithAParallelLabelTreeAndNnunetLayouts() throws IOException {
        Dataset copy = datasets.open("copy");
        assertThat(copy.subjects()).hasSize(6);
        Session ses = copy.subjects().get(2).sessions().get(0);
        assertThat(ses.contrasts().keySet()).containsExactlyInAnyOrder("t1", "flair");
        assertThat(ses.label("age.txt")).isEqualTo(tmp.resolve("fomo/labels/sub_3/ses_1/age.txt"));
        Split age = datasets.split("age", 1);
        assertThat(age.test()).extracting(Case::subject).containsExactly("sub_4", "sub_5", "sub_6");
        assertThat(age.test().get(0).target()).isEqualTo(Anatomy.of(tiny.spec().generator(), 3).age(), org.assertj.core.data.Offset.offset(0.05));

        Dataset nn = datasets.open("nn");
        assertThat(nn.subjects()).extracting(Subject::id).containsExactly("case1", "case2", "case3", "case4", "case5", "case6");
        Split men = datasets.split("men", 3);
        Case c = men.test().get(1);
        assertThat(c.inputs()).containsEntry("flair", tmp.resolve("nn/imagesTr/case6_0000.nii.gz"))
                .containsEntry("dwi", tmp.resolve("nn/imagesTr/case6_0001.nii.gz"));
        assertThat(c.label()).isEqualTo(tmp.resolve("nn/labelsTr/case6.nii.gz"));
        assertThat(c.target()).isNaN();
    }

    @Test
    void theMricronTemplateOpensAsAFilesDataset() {
        Path ch2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
        assertThat(ch2).as("ch2.nii.gz of the Debian package mricron-data (scripts/test installs it)").isRegularFile();
        Dataset template = datasets.open("template");
        assertThat(template.sessions()).singleElement().satisfies(s -> assertThat(s.contrast("t1")).isEqualTo(ch2));
        Datasets shipped = Datasets.load(DatasetsYamlTest.shipped());
        assertThat(shipped.open("mricron-template").sessions().get(0).contrast("t1")).isEqualTo(ch2);
    }

    @Test
    void tooFewSubjectsOrAMissingLabelNameTheTaskField() {
        assertThatThrownBy(() -> datasets.split("big", 1)).isInstanceOf(BrainfmException.class)
                .hasMessage(tmp.resolve("datasets.yaml") + ":26: tasks[3].test: finetune + test = 10 cases, but dataset copy has 6 subjects");
        assertThatThrownBy(() -> datasets.cases("nolabel")).isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith(tmp.resolve("datasets.yaml") + ":27: tasks[4].label: sub_1/ses_1 has no weight.txt");
        assertThatThrownBy(() -> datasets.open("absent")).isInstanceOf(BrainfmException.class)
                .hasMessageContaining("no dataset named \"absent\" (declared: tiny, copy, nn, template)");
    }
}
