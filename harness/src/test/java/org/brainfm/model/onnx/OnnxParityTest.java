package org.brainfm.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.brainfm.model.arch.BrainModel;
import org.brainfm.model.arch.Head;
import org.brainfm.model.card.BaselineCards;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mini architecture and head, exported to ONNX, gives in ONNX Runtime what it gives on
 * DJL's PyTorch engine for the same random input (max absolute difference below 1e-4).
 */
class OnnxParityTest {
    static final double TOLERANCE = 1e-4;
    private static final Set<String> STANDARD = Set.of("Conv", "ConvTranspose", "InstanceNormalization", "LeakyRelu",
            "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Concat", "Reshape", "Transpose", "MatMul", "Add", "Mul", "Div",
            "Erf", "Sigmoid", "Softmax", "LayerNormalization", "ReduceMean", "Slice", "Identity");

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("compact-unet", "pretraining"),
                Arguments.of("compact-unet", "segmentation"),
                Arguments.of("compact-unet", "classification"),
                Arguments.of("resenc-l", "segmentation"),
                Arguments.of("resenc-l", "regression"),
                Arguments.of("vit-b16", "segmentation"),
                Arguments.of("vit-b16", "classification"),
                Arguments.of("vit-l16", "reconstruction"),
                Arguments.of("primus-m", "segmentation"),
                Arguments.of("primus-m", "regression"));
    }

    @ParameterizedTest
    @MethodSource("models")
    void onnxRuntimeAgreesWithDjl(String name, String head, @TempDir Path dir) throws Exception {
        ModelCard card = BaselineCards.card(name);
        BrainModel model = switch (head) {
            case "pretraining" -> Models.pretraining(card, "mini");
            case "segmentation" -> Models.build(card, "mini", Head.segmentation(3), 2);
            case "reconstruction" -> Models.build(card, "mini", Head.reconstruction(2), 2);
            case "classification" -> Models.build(card, "mini", Head.classification(2), 2);
            default -> Models.build(card, "mini", Head.regression(1), 2);
        };
        // 32^3 differs from the cards' 64^3: ViTs also exercise the resampled position embeddings.
        Shape input = new Shape(2, model.inChannels(), 32, 32, 32);
        Path file = dir.resolve("model.onnx");
        try (NDManager manager = Devices.manager(Device.cpu())) {
            model.initialize(manager, DataType.FLOAT32, input);
            randomiseNormsAndBiases(model, manager);
            NDArray x = manager.randomNormal(input);
            NDList expected = model.forward(new ParameterStore(manager, false), new NDList(x), false);
            OnnxExport.write(model, input, name + " " + head, file);
            Set<String> ops = OnnxExport.toOnnx(model, input, "").getGraph().getNodeList().stream()
                    .map(NodeProto::getOpType).collect(Collectors.toSet());
            assertThat(STANDARD).containsAll(ops);

            Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                    .optModelPath(file).optEngine("OnnxRuntime").optTranslator(new NoopTranslator()).build();
            try (ZooModel<NDList, NDList> onnx = criteria.loadModel(); Predictor<NDList, NDList> predictor = onnx.newPredictor()) {
                NDArray ortInput = onnx.getNDManager().create(x.toFloatArray(), input);
                NDList actual = predictor.predict(new NDList(ortInput));
                assertThat(actual).hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    float[] want = expected.get(i).toFloatArray();
                    float[] got = actual.get(i).toFloatArray();
                    assertThat(actual.get(i).getShape()).isEqualTo(expected.get(i).getShape());
                    double worst = 0;
                    for (int j = 0; j < want.length; j++) {
                        worst = Math.max(worst, Math.abs(want[j] - got[j]));
                    }
                    System.out.printf("ONNX parity %s %s output %d: max |DJL - ORT| = %.2e%n", name, head, i, worst);
                    assertThat(worst).as("%s %s output %d", name, head, i).isLessThan(TOLERANCE);
                }
            }
        }
    }

    /** Norm scales of 1 and biases of 0 would hide mistakes in their export. */
    private static void randomiseNormsAndBiases(Block model, NDManager manager) {
        model.getParameters().values().forEach(p -> {
            if (p.getType() != ai.djl.nn.Parameter.Type.WEIGHT) {
                NDArray a = p.getArray();
                a.set(manager.randomUniform(0.5f, 1.5f, a.getShape()).toFloatArray());
            }
        });
    }
}
