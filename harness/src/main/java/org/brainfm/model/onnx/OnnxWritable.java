package org.brainfm.model.onnx;

import java.util.List;

/** A network that can write itself into an ONNX graph, as {@link OnnxExport} needs it. */
public interface OnnxWritable {
    /** Names of the outputs, in the order forward returns them and ONNX declares them. */
    List<String> outputNames();

    /** Writes the network into {@code graph} from input value {@code x}; returns its outputs. */
    List<String> exportOnnx(OnnxGraph graph, String x);
}
