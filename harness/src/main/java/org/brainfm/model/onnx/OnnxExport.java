package org.brainfm.model.onnx;

import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.brainfm.BrainfmException;

/**
 * Writes an initialised model as an ONNX graph for inputs of one spatial size (the batch stays
 * symbolic), from standard opset-17 operators only, so that ONNX Runtime scores our baselines
 * exactly as it scores outside submissions.
 */
public final class OnnxExport {
    private OnnxExport() {}

    /** @param input (B, C, X, Y, Z); B is written as the symbolic "batch" */
    public static ModelProto toOnnx(OnnxWritable model, Shape input, String description) {
        OnnxGraph graph = new OnnxGraph();
        String x = graph.input("input", input);
        var outputs = model.exportOnnx(graph, x);
        for (int i = 0; i < outputs.size(); i++) {
            graph.output(model.outputNames().get(i), outputs.get(i));
        }
        return graph.model(description);
    }

    public static void write(OnnxWritable model, Shape input, String description, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            toOnnx(model, input, description).writeTo(out);
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot write the ONNX model: " + e.getMessage(), e);
        }
    }
}
