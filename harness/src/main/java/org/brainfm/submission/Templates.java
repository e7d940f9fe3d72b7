package org.brainfm.submission;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.data.Case;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.plan.TaskPlan;
import org.brainfm.records.EntryKind;
import org.brainfm.records.EvaluationSplit;
import org.brainfm.tensor.Devices;

/**
 * A ready-to-fill entry for one task, so that a team never guesses case ids, file names or grids:
 * a commented {@code manifest.yaml}, {@code cases.csv} (each test case's id, the file its
 * prediction goes in, and its input images - never its label), and for encoder entries the card's
 * parameter names and shapes with an example weights file.
 */
public final class Templates {
    public static final String CASES = "cases.csv";
    public static final String ENCODER_PARAMETERS = "encoder-parameters.txt";
    public static final String ENCODER_EXAMPLE = "encoder.safetensors";

    private Templates() {}

    /**
     * Writes the template into {@code out} (created; it must be empty), listing the cases of a
     * phase's {@code split} (null: the general board's test cases). {@code card} is for encoder entries.
     */
    public static List<Path> write(TaskPlan plan, EntryKind kind, ModelCard card, String preset, EvaluationSplit split, Path out) {
        try {
            Files.createDirectories(out);
            try (var existing = Files.list(out)) {
                if (existing.findAny().isPresent()) {
                    throw new BrainfmException(out.toString(), "is not empty; give a new folder for the template");
                }
            }
            List<Path> written = new ArrayList<>();
            List<Case> test = EntryCheck.cases(plan, split);
            written.add(Files.writeString(out.resolve(CASES), casesCsv(plan, test)));
            written.add(Files.writeString(out.resolve(Manifests.FILE), manifest(plan, kind, card, preset)));
            if (kind == EntryKind.PREDICTIONS) {
                written.add(Files.createDirectories(out.resolve(plan.name())));
            } else if (kind == EntryKind.ENCODER) {
                written.addAll(encoder(card, preset, EncoderWeights.channels(card, plan), out));
            } else {
                written.add(Files.createDirectories(out.resolve(plan.name())));
            }
            return written;
        } catch (IOException e) {
            throw new BrainfmException(out.toString(), "cannot write the template: " + e.getMessage(), e);
        }
    }

    /** case, the prediction's file name, then one column per input contrast (absolute paths). */
    static String casesCsv(TaskPlan plan, List<Case> test) {
        StringBuilder s = new StringBuilder("case,file");
        plan.inputs().forEach(c -> s.append(',').append(c));
        s.append('\n');
        String suffix = plan.type().labelIsImage() ? ".nii.gz" : ".txt";
        for (Case c : test) {
            String id = TaskPlan.caseId(c);
            s.append(id).append(',').append(plan.name()).append('/').append(Predictions.stem(id)).append(suffix);
            for (String contrast : plan.inputs()) {
                s.append(',').append(c.inputs().get(contrast).toAbsolutePath());
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static String manifest(TaskPlan plan, EntryKind kind, ModelCard card, String preset) {
        String head = """
                # An entry of %s for the task %s (submissions/README.md). Fill in every field, then:
                #   brainfm submit <this folder>
                team: your team
                entry: your model, version 1
                contact: you@example.org
                family: cnn              # cnn | transformer | hybrid | other
                parameters: 1000000      # the model's parameter count
                gpu_hours: 10            # pretraining GPU-hours you spent (the board shows measured ones beside it)
                description: >
                  What the model is and how it was pretrained, in a few sentences.
                # paper: https://arxiv.org/abs/...
                kind: %s
                """.formatted(kind.id(), plan.name(), kind.id());
        String task = switch (kind) {
            case PREDICTIONS -> """
                    tasks:
                      %s:
                        predictions: %s/      # one %s per case, named as cases.csv's 'file' column
                    """.formatted(plan.name(), plan.name(), plan.type().labelIsImage() ? "0/1 mask <case>.nii.gz on the input's grid"
                    : plan.type().name().equals("CLASSIFICATION") ? "probability in a <case>.txt" : "age in years in a <case>.txt");
            case MODEL -> """
                    tasks:
                      %s:
                        model: %s/model.onnx  # or a list of files, averaged
                        inputs: %s            # the task's contrasts, in your input channels' order
                        patch: [64, 64, 64]   # x, y, z voxels your model takes
                        normalisation: zscore
                    """.formatted(plan.name(), plan.name(), plan.inputs());
            case ENCODER -> """
                    card: %s
                    preset: %s
                    weights: %s          # see %s for the names and shapes
                    tasks:
                      %s: {}
                    """.formatted(card.name(), preset, ENCODER_EXAMPLE, ENCODER_PARAMETERS, plan.name());
        };
        return head + task;
    }

    /** The card's encoder parameters (name and shape per line) and an example file of its initial weights. */
    private static List<Path> encoder(ModelCard card, String preset, int channels, Path out) throws IOException {
        Map<String, ai.djl.ndarray.types.Shape> expected = EncoderWeights.expected(card, preset, channels);
        StringBuilder names = new StringBuilder("# " + card.name() + " encoder (" + preset + "): tensor name and shape,"
                + " float32, one per line\n");
        expected.forEach((name, shape) -> names.append(name).append(' ').append(shape).append('\n'));
        Path list = Files.writeString(out.resolve(ENCODER_PARAMETERS), names);
        Block encoder = Models.encoder(card, preset, channels);
        Path example = out.resolve(ENCODER_EXAMPLE);
        try (NDManager manager = Devices.manager(Device.cpu()); OutputStream file = Files.newOutputStream(example)) {
            encoder.initialize(manager, DataType.FLOAT32, Models.inputShape(card, preset, channels));
            NDList weights = new NDList();
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                var a = p.getValue().getArray().duplicate();
                a.setName(p.getKey());
                weights.add(a);
            }
            weights.encode(file, NDList.Encoding.SAFETENSORS);
        }
        return List.of(list, example);
    }
}
