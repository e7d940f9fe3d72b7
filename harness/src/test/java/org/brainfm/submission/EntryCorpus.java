package org.brainfm.submission;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.brainfm.DebianPython;
import org.brainfm.data.Case;
import org.brainfm.data.Datasets;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.EntryKind;
import org.brainfm.tensor.Devices;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.NiftiWriter;
import org.brainfm.volume.Volume;

/**
 * The entry corpus (submissions/corpus.md): good entries of every kind and one broken entry per
 * failure the intake must name, written for a test project ({@code finetune.TinyProject}: tasks
 * meningioma, infarct and brain-age, the tiny-unet card). Nothing of it is committed: ONNX models
 * come from scripts/make-onnx-entry.py (Debian's python3-onnx), masks from the labels on disk,
 * encoder weights from {@link Templates}. Our own exported U-Net is not here: it is made by
 * {@code brainfm finetune} and {@code brainfm submit --baseline}.
 */
final class EntryCorpus {
    static final Path SCRIPT = Path.of("../scripts/make-onnx-entry.py").toAbsolutePath().normalize();
    static final String TEAM = "Corpus Lab";
    /** The patch of every model in the corpus: the tiny project's 32^3 cases take a few windows of it. */
    static final int PATCH = 16;

    /** The tiny-unet encoder's first convolution, (4, 1, 3, 3, 3): the tensor the broken encoders change. */
    static final String FIRST_CONV = "01stage0_01Chain_01Conv_weight";

    /** In a reason, the first test case of the entry's task ({@link #reason}). */
    static final String FIRST_CASE = "{first-case}";

    /**
     * A broken entry: its name (a folder, or an archive's file name), what is wrong with it, and a
     * text the reason it is refused with must contain ({@link #FIRST_CASE} stands for a case id).
     */
    record Broken(String name, String wrong, String reason) {}

    /** Valid entries that are scored as they are, in the order the board test submits them. */
    static final List<String> GOOD = List.of("good-onnx-model", "good-predictions-files", "good-predictions-csv");
    /** A valid encoder entry: finetuned with the task's recipe, then scored. */
    static final String ENCODER = "good-encoder";

    /** Valid when submitted, in trouble when scored: a model that never ends a case, one that fails on each. */
    static final String SLOW = "slow-model";
    static final String CRASH = "crash-model";

    static final List<Broken> BROKEN = List.of(
            new Broken("manifest-missing", "no manifest.yaml",
                    "manifest.yaml: missing; every entry needs one (submissions/README.md)"),
            new Broken("manifest-not-yaml", "manifest.yaml is not YAML (an unclosed list)",
                    "manifest.yaml: not valid YAML at line"),
            new Broken("manifest-unknown-field", "a field the format does not have (licence: MIT)",
                    "manifest.yaml: licence: is not a field here (known: card, contact, description, entry, family,"
                            + " gpu_hours, kind, paper, parameters, preset, tasks, team, weights)"),
            new Broken("manifest-missing-field", "no contact",
                    "manifest.yaml: contact: is missing"),
            new Broken("manifest-wrong-family", "family: rnn",
                    "manifest.yaml: family: must be one of cnn, transformer, hybrid, other, not 'rnn'"),
            new Broken("manifest-wrong-kind", "kind: weights",
                    "manifest.yaml: kind: must be one of model, predictions, encoder, not 'weights'"),
            new Broken("manifest-unknown-task", "a task datasets.yaml does not have (glioma)",
                    "manifest.yaml: tasks.glioma: no such task (tasks: meningioma, infarct, brain-age)"),
            new Broken("manifest-baseline-team", "team: brainfm baselines, the organisers' own name",
                    "manifest.yaml: team: 'brainfm baselines' is the name of the organisers' baselines; use your team's"),
            new Broken("manifest-path-outside", "predictions: ../infarct/, a folder beside the entry",
                    "../infarct/: leaves the entry folder"),
            new Broken("predictions-missing-case", "no .txt for one test case",
                    "no prediction for test case " + FIRST_CASE),
            new Broken("predictions-duplicate-case", "a CSV that gives one case twice",
                    "brain-age.csv line 3: case " + FIRST_CASE + " is given twice"),
            new Broken("predictions-out-of-range", "a probability of 1.5",
                    ".txt: 1.5 is outside [0, 1], the range of a probability"),
            new Broken("predictions-not-a-number", "a .txt holding 'high'",
                    ".txt: 'high' is not a number"),
            new Broken("predictions-stray-case", "a prediction for a case that is not a test case",
                    "_ses_1.txt: not the .txt prediction of a test case (the template lists the cases)"),
            new Broken("mask-nan", "a float32 mask with a NaN voxel",
                    ".nii.gz: holds NaN; a mask holds only 0 and 1"),
            new Broken("mask-not-binary", "a mask holding 2 (a label map, not a mask)",
                    ".nii.gz: holds 2.0; a mask holds only 0 and 1"),
            new Broken("mask-other-grid", "a mask on the case's shape but moved by 5 mm (another affine)",
                    ".nii.gz: affine differs from the reference input flair.nii.gz affine (entry [0][3]:"),
            new Broken("mask-other-shape", "a mask of 31^3 voxels on a 32^3 case",
                    ".nii.gz: grid [31, 31, 31] differs from the reference input flair.nii.gz grid [32, 32, 32]"),
            new Broken("model-wrong-output-shape", "segmentation logits with 3 channels, not 2",
                    "meningioma/model.onnx: first output 'output' has dimension 1 = 3, must be 2 (N, 2, 16, 16, 16)"),
            new Broken("model-wrong-input-channels", "inputs: [flair, t1] for a model of 1 input channel",
                    "meningioma/model.onnx: input 'input' has dimension 1 = 1, must be 2 (N, 2, 16, 16, 16)"),
            new Broken("model-custom-op", "a node in the custom domain com.example",
                    "meningioma/model.onnx: node 'sharpen' is the custom operator com.example.Sharpen;"
                            + " only standard ONNX operators are run"),
            new Broken("model-external-data", "a weight whose data lies in ../secret.bin, outside the entry",
                    "model.onnx: tensor 'w' keeps its data in '../secret.bin', which is not a file inside the entry"),
            new Broken("model-opset-too-old", "opset 9",
                    "meningioma/model.onnx: opset 9; export with an opset from 13 to 21"),
            new Broken("model-not-onnx", "a text file named model.onnx",
                    "meningioma/model.onnx: not an ONNX model ("),
            new Broken("model-unknown-input", "inputs: [flair, dwi]; the task has no dwi",
                    "manifest.yaml: tasks.meningioma.inputs: 'dwi' is not an input of the task (its inputs: [flair, t1])"),
            new Broken("model-oversized", "a 600 MB model.onnx (sparse: no disk is used)",
                    "meningioma/model.onnx: 629145600 bytes, more than the 536870912 allowed per file"),
            new Broken("folder-with-link", "a prediction that is a symbolic link to a file outside",
                    ".txt: is a link or a special file; entries hold plain files and folders"),
            new Broken("archive-traversal.zip", "a zip with a member ../escape.txt",
                    "../escape.txt: leaves the entry folder"),
            new Broken("archive-link.tar.gz", "a tar.gz whose manifest.yaml is a symbolic link",
                    "manifest.yaml: is a symbolic link"),
            new Broken("archive-not-a-zip.zip", "a text file named .zip",
                    "archive-not-a-zip.zip: is not a zip archive"),
            new Broken("archive-truncated.tar.gz", "a tar.gz cut in the middle",
                    "archive-truncated.tar.gz: is truncated or corrupt"),
            new Broken("encoder-renamed-tensor", "the first encoder tensor under another name",
                    "encoder.safetensors: no tensor '" + FIRST_CONV + "' (4, 1, 3, 3, 3)"),
            new Broken("encoder-reshaped-tensor", "the first encoder tensor reshaped from (4, 1, 3, 3, 3) to (1, 4, 3, 3, 3)",
                    "encoder.safetensors: tensor '" + FIRST_CONV + "' has shape (1, 4, 3, 3, 3), must be (4, 1, 3, 3, 3)"),
            new Broken("encoder-unknown-card", "card: tiny-vit, which is not one of the cards",
                    "manifest.yaml: card: 'tiny-vit' is not one of our cards (tiny-unet)"));

    private final Path project;
    private final Datasets datasets;
    private final Path out;

    /**
     * @param project a folder with datasets.yaml and the model cards ({@code finetune.TinyProject.write})
     * @param out     where the entries are written, one folder or archive each
     */
    EntryCorpus(Path project, Path out) {
        this.project = project;
        this.datasets = Datasets.load(project.resolve("datasets.yaml"));
        this.out = out;
    }

    static Broken broken(String name) {
        return BROKEN.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    /** The reason {@code b} must give, its placeholder filled in. */
    String reason(Broken b) {
        String task = b.name().startsWith("predictions-duplicate") ? "brain-age" : "infarct";
        return b.reason().replace(FIRST_CASE, TaskPlan.caseId(test(task).get(0)));
    }

    List<Case> test(String task) {
        return EntryCheck.testCases(new TaskPlan(datasets, task));
    }

    /** Writes every entry of the corpus; returns where they are. */
    List<Path> writeAll() throws IOException {
        List<Path> all = new ArrayList<>();
        for (String name : GOOD) {
            all.add(write(name));
        }
        all.add(write(ENCODER));
        all.add(write(SLOW));
        all.add(write(CRASH));
        for (Broken b : BROKEN) {
            all.add(write(b.name()));
        }
        return all;
    }

    /** Writes the entry {@code name} (good, broken, or in trouble when scored) into the corpus folder; returns it. */
    Path write(String name) throws IOException {
        Path e = out.resolve(name);
        switch (name) {
            // good entries
            case "good-onnx-model" -> {
                onnx(e.resolve("meningioma/model.onnx"), "segmentation", 2, "plain");
                manifest(e, name, "model", segmentationModel("meningioma/model.onnx", "[flair, t1]"));
            }
            case "good-predictions-files" -> {
                masks(e.resolve("meningioma"), EntryCorpus::shiftedAlongX);
                texts(e.resolve("infarct"), c -> c.target() > 0.5 ? "0.9" : "0.2");
                manifest(e, name, "predictions", "meningioma:\n  predictions: meningioma/\ninfarct:\n  predictions: infarct/\n");
            }
            case "good-predictions-csv" -> {
                csv(e.resolve("brain-age.csv"), "age", test("brain-age"), c -> format(c.target() + 2));
                manifest(e, name, "predictions", "brain-age:\n  predictions: brain-age.csv\n");
            }
            case ENCODER -> encoder(e, name, "tiny-unet", UnaryOperator.identity());
            // valid entries that misbehave when scored
            case SLOW -> {
                onnx(e.resolve("meningioma/model.onnx"), "segmentation", 2, "slow");
                onnx(e.resolve("infarct/model.onnx"), "classification", 1, "plain");
                manifest(e, name, "model", segmentationModel("meningioma/model.onnx", "[flair, t1]")
                        + model("infarct", "infarct/model.onnx", "[flair]"));
            }
            case CRASH -> {
                onnx(e.resolve("meningioma/model.onnx"), "segmentation", 2, "crash");
                manifest(e, name, "model", segmentationModel("meningioma/model.onnx", "[flair, t1]"));
            }
            // broken manifests, on an otherwise good predictions entry for infarct
            case "manifest-missing" -> infarctTexts(e);
            case "manifest-not-yaml" -> {
                infarctTexts(e);
                Files.writeString(e.resolve(Manifests.FILE), "team: [Corpus Lab\nentry: x\n");
            }
            case "manifest-unknown-field" -> infarctEntry(e, name, m -> m + "licence: MIT\n");
            case "manifest-missing-field" -> infarctEntry(e, name, m -> m.replace("contact: corpus@example.org\n", ""));
            case "manifest-wrong-family" -> infarctEntry(e, name, m -> m.replace("family: cnn", "family: rnn"));
            case "manifest-wrong-kind" -> infarctEntry(e, name, m -> m.replace("kind: predictions", "kind: weights"));
            case "manifest-unknown-task" -> infarctEntry(e, name, m -> m + "  glioma:\n    predictions: infarct/\n");
            case "manifest-baseline-team" -> infarctEntry(e, name, m -> m.replace("team: " + TEAM, "team: brainfm baselines"));
            case "manifest-path-outside" -> infarctEntry(e, name, m -> m.replace("predictions: infarct/", "predictions: ../infarct/"));
            // broken predictions
            case "predictions-missing-case" -> {
                infarctEntry(e, name, m -> m);
                Files.delete(e.resolve("infarct").resolve(stem(test("infarct").get(0)) + ".txt"));
            }
            case "predictions-duplicate-case" -> {
                List<Case> test = new ArrayList<>(test("brain-age"));
                test.add(1, test.get(0));
                csv(e.resolve("brain-age.csv"), "age", test, c -> format(c.target()));
                manifest(e, name, "predictions", "brain-age:\n  predictions: brain-age.csv\n");
            }
            case "predictions-out-of-range" -> {
                infarctEntry(e, name, m -> m);
                Files.writeString(e.resolve("infarct").resolve(stem(test("infarct").get(1)) + ".txt"), "1.5\n");
            }
            case "predictions-not-a-number" -> {
                infarctEntry(e, name, m -> m);
                Files.writeString(e.resolve("infarct").resolve(stem(test("infarct").get(1)) + ".txt"), "high\n");
            }
            case "predictions-stray-case" -> {
                infarctEntry(e, name, m -> m);
                Case training = new TaskPlan(datasets, "infarct").split(1).finetune().get(0);
                Files.writeString(e.resolve("infarct").resolve(stem(training) + ".txt"), "0.5\n");
            }
            case "mask-nan" -> meningiomaMasks(e, name, v -> {
                float[] d = v.data().clone();
                d[d.length / 2] = Float.NaN;
                return v.withData(d);
            }, NiftiDatatype.FLOAT32);
            case "mask-not-binary" -> meningiomaMasks(e, name, v -> {
                float[] d = v.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= 2;
                }
                return v.withData(d);
            }, NiftiDatatype.UINT8);
            case "mask-other-grid" -> meningiomaMasks(e, name, v -> {
                double[][] moved = v.affine();
                moved[0][3] += 5;
                return new Volume(v.shape(), v.data(), moved);
            }, NiftiDatatype.UINT8);
            case "mask-other-shape" -> meningiomaMasks(e, name,
                    v -> new Volume(new int[] {31, 31, 31}, new float[31 * 31 * 31], v.affine()), NiftiDatatype.UINT8);
            // broken models, for meningioma
            case "model-wrong-output-shape" -> meningiomaModel(e, name, "wrong-channels", 2, "[flair, t1]");
            case "model-wrong-input-channels" -> meningiomaModel(e, name, "plain", 1, "[flair, t1]");
            case "model-custom-op" -> meningiomaModel(e, name, "custom-op", 2, "[flair, t1]");
            case "model-opset-too-old" -> meningiomaModel(e, name, "opset9", 2, "[flair, t1]");
            case "model-unknown-input" -> meningiomaModel(e, name, "plain", 2, "[flair, dwi]");
            case "model-external-data" -> {
                // the model sits at the entry's root, so ../secret.bin is a file beside the entry folder
                Files.createDirectories(out);
                Files.write(out.resolve("secret.bin"), new byte[2 * 2 * 4]);
                onnx(e.resolve("model.onnx"), "segmentation", 2, "external-data");
                manifest(e, name, "model", segmentationModel("model.onnx", "[flair, t1]"));
            }
            case "model-not-onnx" -> {
                Files.createDirectories(e.resolve("meningioma"));
                Files.writeString(e.resolve("meningioma/model.onnx"), "not really onnx\n");
                manifest(e, name, "model", segmentationModel("meningioma/model.onnx", "[flair, t1]"));
            }
            case "model-oversized" -> {
                Files.createDirectories(e.resolve("meningioma"));
                try (RandomAccessFile big = new RandomAccessFile(e.resolve("meningioma/model.onnx").toFile(), "rw")) {
                    big.setLength(600L << 20);
                }
                manifest(e, name, "model", segmentationModel("meningioma/model.onnx", "[flair, t1]"));
            }
            // links and archives
            case "folder-with-link" -> {
                infarctEntry(e, name, m -> m);
                Path target = e.resolve("infarct").resolve(stem(test("infarct").get(0)) + ".txt");
                Files.move(target, out.resolve("outside.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.createSymbolicLink(target, out.resolve("outside.txt"));
            }
            case "archive-traversal.zip" -> {
                Path folder = infarctEntry(out.resolve(".archive-traversal"), name, m -> m);
                zip(folder, e, "../escape.txt", "nothing to see\n");
                deleteFolder(folder);
            }
            case "archive-link.tar.gz" -> {
                Path folder = infarctEntry(out.resolve(".archive-link"), name, m -> m);
                Files.delete(folder.resolve(Manifests.FILE));
                tarGz(folder, e, Manifests.FILE, "/etc/passwd");
                deleteFolder(folder);
            }
            case "archive-not-a-zip.zip" -> {
                Files.createDirectories(out);
                Files.writeString(e, "team: Corpus Lab\n");
            }
            case "archive-truncated.tar.gz" -> {
                Path folder = infarctEntry(out.resolve(".archive-truncated"), name, m -> m);
                Path whole = tarGz(folder, out.resolve(".whole.tar.gz"), null, null);
                byte[] bytes = Files.readAllBytes(whole);
                Files.write(e, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                Files.delete(whole);
                deleteFolder(folder);
            }
            // broken encoders
            case "encoder-renamed-tensor" -> encoder(e, name, "tiny-unet", weights -> {
                weights.get(FIRST_CONV).setName("conv_weight");
                return weights;
            });
            case "encoder-reshaped-tensor" -> encoder(e, name, "tiny-unet", weights -> {
                NDArray first = weights.get(FIRST_CONV);
                NDArray reshaped = first.reshape(new Shape(1, 4, 3, 3, 3));
                reshaped.setName(FIRST_CONV);
                weights.set(weights.indexOf(first), reshaped);
                return weights;
            });
            case "encoder-unknown-card" -> {
                encoder(e, name, "tiny-unet", UnaryOperator.identity());
                rewrite(e.resolve(Manifests.FILE), m -> m.replace("card: tiny-unet", "card: tiny-vit"));
            }
            default -> throw new IllegalArgumentException("no entry '" + name + "' in the corpus");
        }
        return e;
    }

    // ---- manifests

    /** A manifest of the corpus's team; {@code tasks} is the YAML under {@code tasks:}, unindented. */
    static String manifestText(String entry, String kind, String tasks) {
        return """
                team: %s
                entry: %s
                contact: corpus@example.org
                family: cnn
                parameters: 10
                gpu_hours: 0
                description: An entry of brainfm's entry corpus (submissions/corpus.md).
                kind: %s
                tasks:
                %s""".formatted(TEAM, entry, kind, tasks.indent(2));
    }

    private static void manifest(Path entry, String name, String kind, String tasks) throws IOException {
        Files.createDirectories(entry);
        Files.writeString(entry.resolve(Manifests.FILE), manifestText(name, kind, tasks));
    }

    private static String model(String task, String file, String inputs) {
        return """
                %s:
                  model: %s
                  inputs: %s
                  patch: [%d, %d, %d]
                  normalisation: zscore
                """.formatted(task, file, inputs, PATCH, PATCH, PATCH);
    }

    private static String segmentationModel(String file, String inputs) {
        return model("meningioma", file, inputs);
    }

    private static void rewrite(Path file, UnaryOperator<String> change) throws IOException {
        Files.writeString(file, change.apply(Files.readString(file)));
    }

    // ---- predictions

    /** A good predictions entry for infarct, its manifest changed by {@code change}; returns the folder. */
    private Path infarctEntry(Path entry, String name, UnaryOperator<String> change) throws IOException {
        infarctTexts(entry);
        Files.writeString(entry.resolve(Manifests.FILE),
                change.apply(manifestText(name, "predictions", "infarct:\n  predictions: infarct/\n")));
        return entry;
    }

    private void infarctTexts(Path entry) throws IOException {
        texts(entry.resolve("infarct"), c -> c.target() > 0.5 ? "0.8" : "0.3");
    }

    /** One {@code <case>.txt} per test case of infarct. */
    private void texts(Path folder, Function<Case, String> value) throws IOException {
        Files.createDirectories(folder);
        for (Case c : test("infarct")) {
            Files.writeString(folder.resolve(stem(c) + ".txt"), value.apply(c) + "\n");
        }
    }

    private static void csv(Path file, String column, List<Case> cases, Function<Case, String> value) throws IOException {
        StringBuilder s = new StringBuilder("case," + column + "\n");
        cases.forEach(c -> s.append(TaskPlan.caseId(c)).append(',').append(value.apply(c)).append('\n'));
        Files.createDirectories(file.getParent());
        Files.writeString(file, s);
    }

    /** Good meningioma masks (the labels), but the first test case's changed by {@code change}. */
    private void meningiomaMasks(Path entry, String name, UnaryOperator<Volume> change, NiftiDatatype type) throws IOException {
        masks(entry.resolve("meningioma"), UnaryOperator.identity());
        Case first = test("meningioma").get(0);
        NiftiWriter.write(change.apply(NiftiReader.read(first.label())), entry.resolve("meningioma").resolve(stem(first) + ".nii.gz"),
                type);
        manifest(entry, name, "predictions", "meningioma:\n  predictions: meningioma/\n");
    }

    /** One {@code <case>.nii.gz} per test case of meningioma: its label, changed by {@code change}, as uint8. */
    void masks(Path folder, UnaryOperator<Volume> change) throws IOException {
        Files.createDirectories(folder);
        for (Case c : test("meningioma")) {
            NiftiWriter.write(change.apply(NiftiReader.read(c.label())), folder.resolve(stem(c) + ".nii.gz"), NiftiDatatype.UINT8);
        }
    }

    /** The mask moved one voxel towards +x (the last slice drops out): a near miss with a Dice below 1. */
    static Volume shiftedAlongX(Volume v) {
        float[] d = new float[v.data().length];
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 1; x < v.nx(); x++) {
                    d[v.index(x, y, z, 0)] = v.get(x - 1, y, z);
                }
            }
        }
        return v.withData(d);
    }

    static String stem(Case c) {
        return Predictions.stem(TaskPlan.caseId(c));
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    // ---- models

    private void meningiomaModel(Path entry, String name, String variant, int channels, String inputs) throws IOException {
        onnx(entry.resolve("meningioma/model.onnx"), "segmentation", channels, variant);
        manifest(entry, name, "model", segmentationModel("meningioma/model.onnx", inputs));
    }

    /** An ONNX model from scripts/make-onnx-entry.py, which builds it with onnx.helper alone. */
    static void onnx(Path file, String type, int channels, String variant) throws IOException {
        Files.createDirectories(file.getParent());
        String p = Integer.toString(PATCH);
        DebianPython.run(file.getParent(), 60, List.of(SCRIPT.toString(), type, file.toAbsolutePath().toString(),
                "--channels", Integer.toString(channels), "--patch", p, p, p, "--variant", variant));
    }

    // ---- encoders

    /** An encoder entry for infarct: the template's example weights, changed by {@code change}, and a manifest. */
    private void encoder(Path entry, String name, String cardName, UnaryOperator<NDList> change) throws IOException {
        ModelCard card = ModelCards.read(project.resolve(cardName + ".yaml"));
        card.preset("mini");
        Templates.write(new TaskPlan(datasets, "infarct"), EntryKind.ENCODER, card, "mini", null, entry);
        Path weights = entry.resolve(Templates.ENCODER_EXAMPLE);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            NDList changed = change.apply(NDList.decode(manager, Files.readAllBytes(weights)));
            try (OutputStream file = Files.newOutputStream(weights)) {
                changed.encode(file, NDList.Encoding.SAFETENSORS);
            }
        }
        Files.writeString(entry.resolve(Manifests.FILE), manifestText(name, "encoder", "infarct: {}\n")
                + "card: " + cardName + "\npreset: mini\nweights: " + Templates.ENCODER_EXAMPLE + "\n");
    }

    // ---- archives

    /** A zip of {@code folder}'s files under a top folder of the entry's name, and one more member if given. */
    static Path zip(Path folder, Path archive, String extraName, String extraContent) throws IOException {
        String top = archive.getFileName().toString().replaceAll("\\.(zip|tar\\.gz)$", "") + "/";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            for (Path f : files(folder)) {
                zip.putNextEntry(new ZipEntry(top + folder.relativize(f).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
            if (extraName != null) {
                zip.putNextEntry(new ZipEntry(extraName));
                zip.write(extraContent.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return archive;
    }

    /** A tar.gz of {@code folder}'s files, and a symbolic link {@code linkName} to {@code linkTarget} if given. */
    static Path tarGz(Path folder, Path archive, String linkName, String linkTarget) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(archive)))) {
            for (Path f : files(folder)) {
                byte[] data = Files.readAllBytes(f);
                TarArchiveEntry entry = new TarArchiveEntry(folder.relativize(f).toString().replace('\\', '/'));
                entry.setSize(data.length);
                tar.putArchiveEntry(entry);
                tar.write(data);
                tar.closeArchiveEntry();
            }
            if (linkName != null) {
                TarArchiveEntry link = new TarArchiveEntry(linkName, TarConstants.LF_SYMLINK);
                link.setLinkName(linkTarget);
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void deleteFolder(Path folder) {
        try {
            Intake.deleteFolder(folder);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot clean " + folder, e.getCause());
        }
    }
}
