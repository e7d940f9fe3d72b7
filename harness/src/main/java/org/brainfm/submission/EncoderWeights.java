package org.brainfm.submission;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.finetune.EncoderStart;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.tensor.Devices;
import org.brainfm.tensor.Tensors;

/**
 * An encoder entry's weights: a safetensors file with one float32 tensor per parameter of a card's
 * encoder, named as our encoder names them. Checked whole (names, shapes, finite values) before a
 * finetuning run starts from them.
 */
public final class EncoderWeights implements EncoderStart {
    private final Path file;
    private final long submissionId;

    public EncoderWeights(Path file, long submissionId) {
        this.file = file;
        this.submissionId = submissionId;
    }

    @Override
    public Long runId() {
        return null;
    }

    @Override
    public String describe() {
        return "encoder of submission " + submissionId;
    }

    /** The encoder's input channels for a task: one for cards whose encoder takes contrasts one by one. */
    public static int channels(ModelCard card, org.brainfm.plan.TaskPlan plan) {
        return card.sharedContrasts() ? 1 : plan.inputs().size();
    }

    /** The encoder's parameters of {@code card} at {@code preset} for {@code channels} input channels, by name, in order. */
    public static Map<String, Shape> expected(ModelCard card, String preset, int channels) {
        Block encoder = Models.encoder(card, preset, channels);
        Map<String, Shape> out = new LinkedHashMap<>();
        try (NDManager manager = Devices.manager(Device.cpu())) {
            encoder.initialize(manager, DataType.FLOAT32, Models.inputShape(card, preset, channels));
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                out.put(p.getKey(), p.getValue().getArray().getShape());
            }
        }
        return out;
    }

    /** Every problem of {@code file} (named {@code name}) as the encoder of {@code card} at {@code preset}. */
    public static List<String> check(Path file, String name, ModelCard card, String preset, int channels) {
        List<String> problems = new ArrayList<>();
        Map<String, Shape> expected = expected(card, preset, channels);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            NDList weights;
            try {
                weights = Tensors.decode(manager, Files.readAllBytes(file));
            } catch (IOException | RuntimeException e) {
                problems.add(name + ": not a safetensors file (" + Manifests.shorten(String.valueOf(e.getMessage())) + ")");
                return problems;
            }
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : weights) {
                if (byName.put(a.getName(), a) != null) {
                    problems.add(name + ": tensor '" + Manifests.shorten(a.getName()) + "' appears twice");
                }
            }
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                NDArray a = byName.remove(e.getKey());
                if (a == null) {
                    problems.add(name + ": no tensor '" + e.getKey() + "' " + e.getValue() + " (brainfm template --kind encoder lists them)");
                } else if (a.getDataType() != DataType.FLOAT32) {
                    problems.add(name + ": tensor '" + e.getKey() + "' is " + a.getDataType() + ", must be float32");
                } else if (!a.getShape().equals(e.getValue())) {
                    problems.add(name + ": tensor '" + e.getKey() + "' has shape " + a.getShape() + ", must be " + e.getValue());
                } else if (!a.isInfinite().logicalOr(a.isNaN()).none().getBoolean()) {
                    problems.add(name + ": tensor '" + e.getKey() + "' holds NaN or infinite values");
                }
            }
            for (String extra : byName.keySet()) {
                problems.add(name + ": tensor '" + Manifests.shorten(String.valueOf(extra)) + "' is not a parameter of the "
                        + card.name() + " encoder (" + preset + ")");
            }
        }
        return problems;
    }

    @Override
    public void copyEncoderInto(Network target, ModelCard card, String preset, NDManager manager) {
        NDList weights;
        try {
            weights = Tensors.decode(manager, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot be read: " + e.getMessage(), e);
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        weights.forEach(a -> byName.put(a.getName(), a));
        for (Pair<String, Parameter> p : target.encoder().getParameters()) {
            NDArray source = byName.get(p.getKey());
            NDArray destination = p.getValue().getArray();
            if (source == null || !source.getShape().equals(destination.getShape())) {
                throw new BrainfmException(file.toString(), "does not fit the encoder at '" + p.getKey() + "' (checked when"
                        + " submitted; was the file changed?)");
            }
            source.toDevice(destination.getDevice(), false).copyTo(destination);
        }
        weights.close();
    }
}
