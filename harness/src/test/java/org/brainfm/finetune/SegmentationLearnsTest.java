package org.brainfm.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.brainfm.loss.Losses;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.card.Models;
import org.brainfm.model.layer.Pass;
import org.brainfm.recipe.FinetuningRecipe;
import org.brainfm.tensor.Devices;
import org.brainfm.tensor.Tensors;
import org.brainfm.train.BatchLoss;
import org.brainfm.train.Seeds;
import org.brainfm.train.TrainConfig;
import org.brainfm.train.Trainer;
import org.brainfm.volume.PatchSampler.Patch;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finetuning must learn: the tiny U-Net, trained with the finetuning loss on patches drawn as
 * finetuning draws them, segments a bright lesion in noise. Before the gradients were made safe
 * (tensor.Tensors) and the patches placed inside the volume, such runs stayed at chance.
 */
class SegmentationLearnsTest {
    private static final int EDGE = 24;
    private static final int[] PATCH = {16, 16, 16};

    @TempDir
    Path dir;

    /**
     * The tiny U-Net trained on three lesion cases: no step skipped, the loss halves, each case is
     * segmented. One process, one attempt: its 4- and 8-channel convolutions are the ones libtorch's
     * oneDNN backward got wrong before Conv padded them (ConvGradientTest).
     */
    @Test
    void lossFallsAndTheTrainingCasesAreSegmented() {
        ModelCard card = ModelCards.read(TinyProject.write(dir).resolve("tiny-unet.yaml"));
        List<Volume[]> cases = List.of(lesionCase(1), lesionCase(2), lesionCase(3));
        List<TrainingPatches> patches = cases.stream().map(c -> new TrainingPatches(c[0], c[1], PATCH, 0.5)).toList();
        int voxels = PATCH[0] * PATCH[1] * PATCH[2];
        Shape input = new Shape(2, 2, PATCH[2], PATCH[1], PATCH[0]);
        try (NDManager manager = Devices.manager(Device.cpu())) {
            Seeds.seedEngine(7);
            Network network = Models.build(card, "mini", Head.segmentation(2), 2);
            network.initialize(manager, DataType.FLOAT32, input);
            Trainer trainer = new Trainer(new TrainConfig(12, 10, 1e-2, 0, 1e-2, 0, FinetuningRecipe.GRADIENT_CLIP, 7), List.of(network),
                    step -> {
                        SplittableRandom random = step.random();
                        float[] images = new float[2 * 2 * voxels];
                        float[] labels = new float[2 * voxels];
                        for (int n = 0; n < 2; n++) {
                            Patch p = patches.get(random.nextInt(patches.size())).sample(random);
                            System.arraycopy(p.image(), 0, images, n * 2 * voxels, 2 * voxels);
                            System.arraycopy(p.label(), 0, labels, n * voxels, voxels);
                        }
                        NDArray out = network.apply(step.pass(), Tensors.copyOf(step.manager(), images, input));
                        NDArray target = Tensors.copyOf(step.manager(), labels, new Shape(2, PATCH[2], PATCH[1], PATCH[0]));
                        return BatchLoss.of(Losses.diceCrossEntropy(out, target), 2L * voxels);
                    }, manager);
            Trainer.Result result = trainer.fit(false);
            assertThat(result.skippedSteps()).as("steps skipped as not finite, of 120").isZero();
            double first = result.epochs().get(0).loss();
            assertThat(result.lastLoss()).as("loss of the last epoch against the first (%s)", first).isLessThan(0.5 * first);
            for (Volume[] c : cases) {
                assertThat(dice(network, manager, c)).isGreaterThan(0.7);
            }
        }
    }

    /** Two channels of noise with one bright sphere (brighter in the first), and its mask. */
    private static Volume[] lesionCase(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = EDGE * EDGE * EDGE;
        double[] centre = {6 + 12 * random.nextDouble(), 6 + 12 * random.nextDouble(), 6 + 12 * random.nextDouble()};
        double radius = 3 + 2 * random.nextDouble();
        float[] image = new float[2 * n];
        float[] label = new float[n];
        for (int v = 0; v < n; v++) {
            double dx = v % EDGE - centre[0];
            double dy = (v / EDGE) % EDGE - centre[1];
            double dz = v / (EDGE * EDGE) - centre[2];
            boolean inside = dx * dx + dy * dy + dz * dz < radius * radius;
            label[v] = inside ? 1 : 0;
            image[v] = (float) (random.nextGaussian() + (inside ? 3 : 0));
            image[n + v] = (float) (random.nextGaussian() + (inside ? 1 : 0));
        }
        double[][] affine = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        return new Volume[] {new Volume(new int[] {EDGE, EDGE, EDGE, 2}, image, affine), new Volume(new int[] {EDGE, EDGE, EDGE}, label, affine)};
    }

    /** Hard Dice of the network's argmax on the patch centred on the case's lesion. */
    private static double dice(Network network, NDManager manager, Volume[] c) {
        Patch p = new TrainingPatches(c[0], c[1], PATCH, 1).sample(new SplittableRandom(1));
        try (NDManager step = manager.newSubManager()) {
            NDArray out = network.apply(new Pass(new ParameterStore(step, false), false),
                    Tensors.copyOf(step, p.image(), new Shape(1, 2, PATCH[2], PATCH[1], PATCH[0])));
            float[] predicted = out.argMax(1).toType(DataType.FLOAT32, false).toFloatArray();
            double overlap = 0;
            double sizes = 0;
            for (int i = 0; i < predicted.length; i++) {
                overlap += predicted[i] * p.label()[i];
                sizes += predicted[i] + p.label()[i];
            }
            return 2 * overlap / sizes;
        }
    }
}
