package org.brainfm.model.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX graph (opset 17, IR 8) node by node from standard operators only. The first
 * axis of inputs and outputs is the symbolic {@code batch}; reshapes keep it with a 0.
 */
public final class OnnxGraph {
    public static final int OPSET = 17;
    private static final long IR_VERSION = 8;

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("brainfm");
    private final Map<String, Shape> shapes = new HashMap<>();
    private int counter;
    private String ropeCos;
    private String ropeSin;

    /** Declares a float input; {@code shape}'s first axis becomes the symbolic batch. */
    public String input(String name, Shape shape) {
        graph.addInput(valueInfo(name, shape));
        shapes.put(name, shape);
        return name;
    }

    public void output(String name, String value) {
        NodeProto.Builder identity = NodeProto.newBuilder().setOpType("Identity").addInput(value).addOutput(name).setName(name);
        graph.addNode(identity);
        graph.addOutput(valueInfo(name, shape(value)));
    }

    public Shape shape(String value) {
        Shape s = shapes.get(value);
        if (s == null) {
            throw new IllegalStateException("no shape recorded for ONNX value " + value);
        }
        return s;
    }

    public void shape(String value, Shape shape) {
        shapes.put(value, shape);
    }

    /** Adds one node with a single output and returns that output's name. */
    public String node(String op, List<String> inputs, AttributeProto... attributes) {
        String out = op.toLowerCase() + "_" + counter++;
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out).addAllAttribute(Arrays.asList(attributes)));
        return out;
    }

    public String node(String op, String input, AttributeProto... attributes) {
        return node(op, List.of(input), attributes);
    }

    /** A float constant holding {@code array}'s values, reshaped to {@code dims} when given. */
    public String constant(NDArray array, long... dims) {
        return constant(array.toFloatArray(), dims.length == 0 ? array.getShape().getShape() : dims);
    }

    public String constant(float[] values, long... dims) {
        String name = "const_" + counter++;
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        graph.addInitializer(t.setRawData(ByteString.copyFrom(raw)));
        return name;
    }

    /** An INT64 vector, for Reshape targets and the like. */
    public String ints(long... values) {
        String name = "ints_" + counter++;
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    public String reshape(String x, long... dims) {
        return node("Reshape", List.of(x, ints(dims)));
    }

    public String transpose(String x, long... perm) {
        return node("Transpose", x, attr("perm", perm));
    }

    public String binary(String op, String a, String b) {
        return node(op, List.of(a, b));
    }

    /** GELU written with Erf, as PyTorch computes it: x * (1 + erf(x / sqrt 2)) / 2. */
    public String gelu(String x) {
        String scaled = binary("Div", x, constant(new float[] {(float) Math.sqrt(2.0)}));
        String erf = node("Erf", scaled);
        String onePlus = binary("Add", erf, constant(new float[] {1f}));
        String half = binary("Mul", x, constant(new float[] {0.5f}));
        return binary("Mul", half, onePlus);
    }

    public void rope(String cos, String sin) {
        this.ropeCos = cos;
        this.ropeSin = sin;
    }

    public String ropeCos() {
        return ropeCos;
    }

    public String ropeSin() {
        return ropeSin;
    }

    public static AttributeProto attr(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(Arrays.stream(values).boxed().toList()).build();
    }

    public static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    public static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public ModelProto model(String docString) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("brainfm")
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    private static ValueInfoProto valueInfo(String name, Shape shape) {
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
        for (int i = 0; i < shape.dimension(); i++) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (i == 0) {
                d.setDimParam("batch");
            } else {
                d.setDimValue(shape.get(i));
            }
            dims.addDim(d);
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(dims).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }
}
