package org.brainfm.model.arch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.brainfm.model.card.BaselineCards;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.Models;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.store.ModelStore;
import org.brainfm.tensor.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cards' architectures: sizes against the literature, counts against the built blocks, shapes. */
class ArchitecturesTest {
    /**
     * Parameter counts of the reference models worked out by hand from the published layer
     * lists (REFERENCE.md; nnU-Net's ResEncL and Primus-M configurations): e.g. the compact
     * U-Net is encoder 14,134,944 + latent 2 x (992 x 512 + 512) + decoder 3,744,673.
     */
    @Test
    void fullSizesMatchTheLiterature() {
        Map<String, Long> expected = Map.of(
                "compact-unet", 14_134_944L + 1_016_832L + 3_744_673L,
                "resenc-l", 102_348_226L,
                "vit-b16", 88_368_384L,
                "vit-l16", 306_727_936L,
                "primus-m", 146_602_394L);
        for (String name : BaselineCards.NAMES) {
            assertThat(Models.referenceCost(BaselineCards.card(name), "full").parameters()).as(name).isEqualTo(expected.get(name));
        }
        assertThat(expected.get("compact-unet")).isCloseTo(18_900_000L, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(expected.get("resenc-l")).isCloseTo(102_400_000L, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(expected.get("primus-m")).isCloseTo(146_600_000L, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(expected.get("vit-b16")).isCloseTo(88_000_000L, org.assertj.core.data.Percentage.withPercentage(1));
    }

    static Stream<Arguments> miniModels() {
        return BaselineCards.NAMES.stream().flatMap(name -> Stream.of(
                Arguments.of(name, "reference"),
                Arguments.of(name, "segmentation"),
                Arguments.of(name, "classification")));
    }

    private static Block model(ModelCard card, String preset, String head, int contrasts) {
        return switch (head) {
            case "reference" -> Models.reference(card, preset);
            case "segmentation" -> Models.build(card, preset, Head.segmentation(3), contrasts);
            default -> Models.build(card, preset, Head.classification(2), contrasts);
        };
    }

    /** Analytic counts (used by `brainfm models`) equal the parameters DJL allocates. */
    @ParameterizedTest
    @MethodSource("miniModels")
    void analyticCountEqualsTheInitialisedBlock(String name, String head) {
        ModelCard card = BaselineCards.card(name);
        Block block = model(card, "mini", head, 2);
        int channels = block instanceof BrainModel m ? m.inChannels() : 1;
        Shape input = Models.inputShape(card, "mini", channels);
        long analytic = block instanceof BrainModel m ? m.cost(input).parameters() : costOf((Encoder) block, input);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            block.initialize(manager, DataType.FLOAT32, input);
            assertThat(ModelStore.countParameters(block)).isEqualTo(analytic);
        }
    }

    @Test
    void analyticCountEqualsTheInitialisedBlockAtFullSizeForCompactUNetAndVitB() {
        for (String name : List.of("compact-unet", "vit-b16")) {
            ModelCard card = BaselineCards.card(name);
            Block block = Models.reference(card, "full");
            try (NDManager manager = Devices.manager(Device.cpu())) {
                block.initialize(manager, DataType.FLOAT32, Models.inputShape(card, "full", 1));
                assertThat(ModelStore.countParameters(block)).as(name).isEqualTo(Models.referenceCost(card, "full").parameters());
            }
        }
    }

    private static long costOf(Encoder encoder, Shape input) {
        Cost c = new Cost();
        encoder.trace(input, c);
        return c.parameters();
    }

    /** Every mini network runs on a 32^3 input (smaller than its card's patch) with the traced shapes. */
    @ParameterizedTest
    @MethodSource("miniModels")
    void miniNetworksRunAtAnotherInputSize(String name, String head) {
        ModelCard card = BaselineCards.card(name);
        Block block = model(card, "mini", head, 2);
        if (!(block instanceof BrainModel model)) {
            return;
        }
        Shape input = new Shape(1, model.inChannels(), 32, 32, 32);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            block.initialize(manager, DataType.FLOAT32, input);
            NDList out = block.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(input)), false);
            Shape[] traced = block.getOutputShapes(new Shape[] {input});
            assertThat(out).hasSize(traced.length);
            for (int i = 0; i < traced.length; i++) {
                assertThat(out.get(i).getShape()).isEqualTo(traced[i]);
                assertThat(Float.isFinite(out.get(i).sum().getFloat())).isTrue();
            }
            if (head.equals("segmentation")) {
                assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(1, 3, 32, 32, 32));
            }
        }
    }

    @Test
    void sharedContrastsAreAveragedForMasksAndKeptApartForImageLevelHeads() {
        ModelCard card = BaselineCards.card("compact-unet");
        assertThat(card.sharedContrasts()).isTrue();
        Network segmentation = Models.build(card, "mini", Head.segmentation(2), 2);
        Network regression = Models.build(card, "mini", Head.regression(1), 2);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Shape input = new Shape(1, 2, 16, 16, 16);
            segmentation.initialize(manager, DataType.FLOAT32, input);
            regression.initialize(manager, DataType.FLOAT32, input);
            Pass pass = new Pass(new ParameterStore(manager, false), false);
            NDArray a = manager.randomNormal(new Shape(1, 1, 16, 16, 16));
            NDArray b = manager.randomNormal(new Shape(1, 1, 16, 16, 16));
            // a mask: each scan's maps averaged, so the decoder's skips keep their width
            NDList averaged = segmentation.features(pass, a.concat(b, 1));
            NDList alone = segmentation.encoder().features(pass, a);
            NDList other = segmentation.encoder().features(pass, b);
            for (int i = 0; i < averaged.size(); i++) {
                NDArray mean = alone.get(i).add(other.get(i)).div(2);
                assertThat(averaged.get(i).sub(mean).abs().max().getFloat()).isLessThan(float32Tolerance(mean));
            }
            // one value per image: the scans' maps side by side, since averaging T1 with T2 cancels what is
            // dark in one and bright in the other (docs/protocol.md, brain age)
            NDList concatenated = regression.features(pass, a.concat(b, 1));
            NDList first = regression.encoder().features(pass, a);
            NDList second = regression.encoder().features(pass, b);
            for (int i = 0; i < concatenated.size(); i++) {
                NDArray side = first.get(i).concat(second.get(i), 1);
                assertThat(concatenated.get(i).getShape()).isEqualTo(side.getShape());
                assertThat(concatenated.get(i).sub(side).abs().max().getFloat()).isLessThan(float32Tolerance(side));
            }
        }
    }

    /**
     * How far two float32 computations of the same maps may differ: a batch of two scans and one scan
     * alone sum their convolutions in different orders (measured: 1.01e-5 on maps reaching about 5).
     */
    private static float float32Tolerance(NDArray expected) {
        return 1e-5f * Math.max(1f, expected.abs().max().getFloat());
    }

    @Test
    void pretrainingModelGivesSubjectAndModalityCodesOnTheBottleneckGrid() {
        UNetPretraining model = Models.pretraining(BaselineCards.card("compact-unet"), "mini");
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Shape input = new Shape(2, 1, 32, 32, 32);
            model.initialize(manager, DataType.FLOAT32, input);
            Pass pass = new Pass(new ParameterStore(manager, false), false);
            NDList codes = model.encode(pass, manager.randomNormal(input));
            assertThat(codes).hasSize(4);
            for (NDArray code : codes) {
                assertThat(code.getShape()).isEqualTo(new Shape(2, 32, 2, 2, 2));
            }
            NDArray swapped = model.decode(pass, codes.get(0), codes.get(2).flip(0));
            assertThat(swapped.getShape()).isEqualTo(input);
        }
    }
}
