package org.brainfm.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.brainfm.model.arch.Head;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.card.Models;
import org.brainfm.tensor.Devices;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step (forward, backward, AdamW update) of each card's mini preset on the CPU,
 * on one 64^3 patch (batch 1, one channel) with an L2 reconstruction loss: the compact U-Net
 * through its subject/modality pretraining model, the others with a reconstruction head.
 * Run from the repository root (reads baselines/): {@code scripts/bench TrainingStep -f 1 -wi 2 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class TrainingStepBench {
    @Param({"compact-unet", "resenc-l", "vit-b16", "vit-l16", "primus-m"})
    public String card;

    @Param({"64"})
    public int patch;

    private Model model;
    private Trainer trainer;
    private NDArray input;

    @Setup(Level.Trial)
    public void setUp() {
        ModelCard c = ModelCards.read(Path.of("baselines", card + ".yaml"));
        Block block = c.architecture().equals("compact-unet")
                ? Models.pretraining(c, "mini")
                : Models.build(c, "mini", Head.reconstruction(1), 1);
        model = Model.newInstance(card, Device.cpu(), Devices.ENGINE);
        model.setBlock(block);
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(Optimizer.adamW().build()));
        Shape shape = new Shape(1, 1, patch, patch, patch);
        trainer.initialize(shape);
        input = model.getNDManager().randomNormal(shape);
    }

    @Benchmark
    public float trainingStep() {
        float loss;
        try (NDManager step = trainer.getManager().newSubManager(); GradientCollector collector = trainer.newGradientCollector()) {
            NDArray x = input.duplicate();
            x.attach(step);
            NDList out = trainer.forward(new NDList(x));
            NDArray value = trainer.getLoss().evaluate(new NDList(x), new NDList(out.get(0)));
            collector.backward(value);
            loss = value.getFloat();
        }
        trainer.step();
        return loss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        model.close();
    }
}
