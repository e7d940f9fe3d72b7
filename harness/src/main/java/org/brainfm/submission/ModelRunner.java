package org.brainfm.submission;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Machine;
import org.brainfm.data.Case;
import org.brainfm.metrics.TaskType;
import org.brainfm.plan.Prepared;
import org.brainfm.plan.Preprocessing;
import org.brainfm.predict.CasePredictor;
import org.brainfm.predict.OnnxPatchModel;
import org.brainfm.predict.SlidingWindow;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiWriter;
import org.brainfm.volume.Volume;

/**
 * Runs a team's ONNX models on test cases, in a JVM of its own that the scorer starts with a
 * memory cap and watches with time limits ({@link ModelScoring}). It is given the cases' input
 * images and nothing else - no labels, no datasets file - and writes each case's prediction in
 * FOMO25's form ({@code <case>.nii.gz} mask on the input's grid, {@code <case>.txt} probability or
 * age), so a model's output meets the same checks as a team's predictions.
 *
 * <p>It tells the scorer where it is on standard output, one line per event:
 * {@code ready}, {@code done <case>}, {@code failed <case> <why>}, and at the end
 * {@code used <cpu seconds> <peak resident bytes>}.
 */
public final class ModelRunner {
    /** Preprocessing margin, the same for every entry and our baselines (submissions/README.md). */
    static final int MARGIN = 2;
    /** Sliding-window overlap, the same for every entry. */
    static final double OVERLAP = 0.5;

    /** One case to predict: where to write it and its input images by contrast, in channel order. */
    public record JobCase(String id, String stem, Map<String, String> inputs) {}

    /**
     * What to run: the task's type and its head's outputs, the models (averaged; files, and the names the entry gives
     * them, for reasons), their input spec, and the cases.
     */
    public record Job(TaskType type, int outputs, List<String> models, List<String> names, List<String> inputs, int[] patch, double[] spacing, int threads,
            String out, List<JobCase> cases) {}

    private ModelRunner() {}

    /** {@code java ... ModelRunner JOB.json}: exit 0 when it got through the cases (each done or failed). */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Job job = new ObjectMapper().readValue(Path.of(args[0]).toFile(), Job.class);
        int status = run(job, out);
        out.printf(Locale.ROOT, "used %.3f %d%n", Machine.processCpuNanos() / 1e9, Machine.peakResidentSetBytes());
        System.exit(status);
    }

    static int run(Job job, PrintStream out) {
        boolean dense = job.type() == TaskType.SEGMENTATION;
        List<OnnxPatchModel> models = new ArrayList<>();
        try {
            for (String m : job.models()) {
                models.add(new OnnxPatchModel(Path.of(m), job.patch(), job.inputs().size(), job.outputs(), dense, job.threads()));
            }
        } catch (RuntimeException e) {
            out.println("failed * ONNX Runtime cannot load the model: " + reason(e, job));
            models.forEach(OnnxPatchModel::close);
            return 3;
        }
        out.println("ready");
        Preprocessing preprocessing = new Preprocessing(MARGIN, job.spacing());
        // the model gives years itself: no target standardisation to undo
        CasePredictor predictor = new CasePredictor(job.type(), preprocessing, SlidingWindow.withOverlap(OVERLAP), 0, 1);
        Path folder = Path.of(job.out());
        try {
            for (JobCase c : job.cases()) {
                try {
                    Map<String, Path> inputs = new LinkedHashMap<>();
                    for (String contrast : job.inputs()) {
                        inputs.put(contrast, Path.of(c.inputs().get(contrast)));
                    }
                    Prepared p = preprocessing.load(new Case(c.id(), "", inputs, null, Double.NaN), false);
                    switch (job.type()) {
                        case SEGMENTATION -> {
                            Volume mask = predictor.segment(models, p);
                            NiftiWriter.write(mask, folder.resolve(c.stem() + ".nii.gz"), NiftiDatatype.FLOAT32);
                        }
                        case CLASSIFICATION -> write(folder.resolve(c.stem() + ".txt"), predictor.classify(models, p));
                        case REGRESSION -> write(folder.resolve(c.stem() + ".txt"), predictor.regress(models, p));
                    }
                    out.println("done " + c.id());
                } catch (RuntimeException | IOException e) {
                    out.println("failed " + c.id() + " " + reason(e, job));
                }
            }
        } finally {
            models.forEach(OnnxPatchModel::close);
        }
        return 0;
    }

    /** A number as a prediction file holds it ("NaN" stays NaN: the checks flag it). */
    private static void write(Path file, double value) throws IOException {
        Files.writeString(file, Double.isFinite(value) ? String.format(Locale.ROOT, "%.9g%n", value) : "NaN\n");
    }

    /**
     * Why a case failed, for the team, in one line of at most 300 characters: the model as the
     * entry names it and the deepest cause's own words (ONNX Runtime's), without the organiser's
     * paths or Java's exception names.
     */
    static String reason(Throwable e, Job job) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // ONNX Runtime's words without its error code and the C++ source location and signature it adds
        m = m.replaceFirst("^Error code - \\w+ - message: ", "")
                .replaceAll("\\S*onnxruntime_src/\\S+:\\d+\\s+(onnxruntime::[\\w:]+\\([^)]*\\)\\s*)?", "");
        String model = "the model";
        for (int i = 0; i < job.models().size(); i++) {
            m = m.replace(job.models().get(i), job.names().get(i));
            if (e instanceof BrainfmException b && b.what().equals(job.models().get(i))) {
                model = job.names().get(i);
            }
        }
        m = model + ": " + m.replaceAll("\\s+", " ").strip();
        return m.length() <= 300 ? m : m.substring(0, 297) + "...";
    }
}
