package org.brainfm.submission;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.brainfm.metrics.TaskType;

/**
 * What can be known of a team's ONNX model without running it: that it is ONNX, uses only
 * standard operators of an opset ONNX Runtime runs, keeps its tensor data inside the entry, and
 * takes and gives tensors of the shapes the task needs. Running it is the scorer's job, in a child
 * JVM with limits.
 */
final class OnnxCheck {
    static final int MIN_OPSET = 13;
    static final int MAX_OPSET = 21;
    /** The standard operator domains; anything else is a custom operator that ONNX Runtime would load code for. */
    private static final Set<String> STANDARD = Set.of("", "ai.onnx", "ai.onnx.ml");
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

    private OnnxCheck() {}

    /**
     * Adds to {@code problems} everything wrong with {@code file} (named {@code name} in messages) as a
     * model of {@code channels} input channels and patch {@code patch} (x, y, z) for a task of {@code type}
     * whose head gives {@code outputs} values (segmentation: background and each class).
     */
    static void check(Path entry, Path file, String name, TaskType type, int outputs, int channels, int[] patch, List<String> problems) {
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = ModelProto.parseFrom(in);
        } catch (IOException | RuntimeException e) {
            problems.add(name + ": not an ONNX model (" + firstLine(e.getMessage()) + ")");
            return;
        }
        if (!model.hasGraph()) {
            problems.add(name + ": has no graph");
            return;
        }
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            if (!STANDARD.contains(opset.getDomain())) {
                problems.add(name + ": imports the operator domain '" + Manifests.shorten(opset.getDomain())
                        + "'; only standard ONNX operators are run (no custom operators)");
            } else if (!opset.getDomain().equals("ai.onnx.ml")
                    && (opset.getVersion() < MIN_OPSET || opset.getVersion() > MAX_OPSET)) {
                problems.add(name + ": opset " + opset.getVersion() + "; export with an opset from " + MIN_OPSET + " to " + MAX_OPSET);
            }
        }
        if (model.getFunctionsCount() > 0) {
            problems.add(name + ": defines " + model.getFunctionsCount() + " local functions; export them inlined");
        }
        Set<String> seen = new HashSet<>();
        graph(entry, file.getParent(), model.getGraph(), name, problems, seen);
        io(model.getGraph(), name, type, outputs, channels, patch, problems);
    }

    /**
     * The number of values in a checked model's initializers: its parameter count as exported (0
     * when it cannot be read again).
     */
    static long parameters(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            long n = 0;
            for (TensorProto t : ModelProto.parseFrom(in).getGraph().getInitializerList()) {
                if (t.getDataType() == FLOAT) {
                    n += t.getDimsList().stream().reduce(1L, (a, b) -> a * b);
                }
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Operators and tensors of a graph and its subgraphs (If, Loop, Scan bodies). */
    private static void graph(Path entry, Path folder, GraphProto g, String name, List<String> problems, Set<String> seen) {
        for (TensorProto t : g.getInitializerList()) {
            tensor(entry, folder, t, name, problems);
        }
        for (NodeProto n : g.getNodeList()) {
            if (!STANDARD.contains(n.getDomain()) && seen.add(n.getDomain() + ":" + n.getOpType())) {
                problems.add(name + ": node '" + Manifests.shorten(n.getName()) + "' is the custom operator "
                        + Manifests.shorten(n.getDomain() + "." + n.getOpType()) + "; only standard ONNX operators are run");
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT()) {
                    tensor(entry, folder, a.getT(), name, problems);
                }
                a.getTensorsList().forEach(t -> tensor(entry, folder, t, name, problems));
                if (a.hasG()) {
                    graph(entry, folder, a.getG(), name, problems, seen);
                }
                a.getGraphsList().forEach(sub -> graph(entry, folder, sub, name, problems, seen));
            }
        }
    }

    /** A tensor's data must be inside the model file, or in a file of the entry next to it. */
    private static void tensor(Path entry, Path folder, TensorProto t, String name, List<String> problems) {
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
            return;
        }
        String location = t.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
                .map(StringStringEntryProto::getValue).findFirst().orElse(null);
        if (location == null) {
            problems.add(name + ": tensor '" + Manifests.shorten(t.getName()) + "' keeps its data outside without saying where");
            return;
        }
        Path relativeToEntry = entry.toAbsolutePath().normalize().relativize(folder.toAbsolutePath().normalize().resolve(location).normalize());
        List<String> found = new java.util.ArrayList<>();
        if (EntryFiles.resolve(entry, relativeToEntry.toString(), EntryFiles.Kind.FILE, found) == null || Path.of(location).isAbsolute()) {
            problems.add(name + ": tensor '" + Manifests.shorten(t.getName()) + "' keeps its data in '" + Manifests.shorten(location)
                    + "', which is not a file inside the entry");
        }
    }

    private static void io(GraphProto g, String name, TaskType type, int outputs, int channels, int[] patch, List<String> problems) {
        Set<String> initialised = new HashSet<>();
        g.getInitializerList().forEach(t -> initialised.add(t.getName()));
        List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !initialised.contains(v.getName())).toList();
        if (inputs.size() != 1) {
            problems.add(name + ": takes " + inputs.size() + " inputs; it must take one, (N, C, z, y, x)");
        } else {
            long[] expected = {-1, channels, patch[2], patch[1], patch[0]};
            shape(inputs.get(0), name + ": input", expected, problems);
        }
        if (g.getOutputCount() == 0) {
            problems.add(name + ": gives no output");
            return;
        }
        long[] expected = switch (type) {
            case SEGMENTATION -> new long[] {-1, outputs, patch[2], patch[1], patch[0]};
            case CLASSIFICATION, REGRESSION -> new long[] {-1, outputs};
        };
        shape(g.getOutput(0), name + ": first output", expected, problems);
    }

    /** The value's type is float32 of {@code expected}'s rank; dimensions it fixes match (-1: any). */
    private static void shape(ValueInfoProto v, String what, long[] expected, List<String> problems) {
        if (!v.getType().hasTensorType()) {
            problems.add(what + " '" + Manifests.shorten(v.getName()) + "' is not a tensor");
            return;
        }
        var tensor = v.getType().getTensorType();
        if (tensor.getElemType() != FLOAT) {
            problems.add(what + " '" + Manifests.shorten(v.getName()) + "' must be float32");
        }
        if (!tensor.hasShape()) {
            return;
        }
        List<TensorShapeProto.Dimension> dims = tensor.getShape().getDimList();
        if (dims.size() != expected.length) {
            problems.add(what + " '" + Manifests.shorten(v.getName()) + "' has rank " + dims.size() + ", must have "
                    + expected.length + " " + describe(expected));
            return;
        }
        for (int i = 0; i < dims.size(); i++) {
            if (expected[i] >= 0 && dims.get(i).hasDimValue() && dims.get(i).getDimValue() != expected[i]) {
                problems.add(what + " '" + Manifests.shorten(v.getName()) + "' has dimension " + i + " = "
                        + dims.get(i).getDimValue() + ", must be " + expected[i] + " " + describe(expected));
                return;
            }
        }
    }

    private static String describe(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "N" : Long.toString(shape[i]));
        }
        return s.append(")").toString();
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : Manifests.shorten(message.lines().findFirst().orElse(""));
    }
}
