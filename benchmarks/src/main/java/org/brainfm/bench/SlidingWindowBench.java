package org.brainfm.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.card.Models;
import org.brainfm.model.onnx.OnnxExport;
import org.brainfm.predict.DjlPatchModel;
import org.brainfm.predict.OnnxPatchModel;
import org.brainfm.predict.PatchModel;
import org.brainfm.predict.SlidingWindow;
import org.brainfm.tensor.Devices;
import org.brainfm.volume.Volume;
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
 * Sliding-window inference of one 160^3 volume with the compact U-Net's mini preset (64^3
 * windows, a 2-class segmentation head, one contrast), Gaussian blending at the given overlap,
 * on the CPU through DJL's PyTorch engine or ONNX Runtime. Voxels per second = 160^3 / the
 * time of one operation. Run from the repository root (reads baselines/):
 * {@code scripts/bench SlidingWindow -f 1 -wi 1 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class SlidingWindowBench {
    @Param({"pytorch", "onnx"})
    public String engine;

    @Param({"0.5"})
    public double overlap;

    @Param({"160"})
    public int size;

    private NDManager manager;
    private PatchModel model;
    private Volume image;
    private Path onnxDir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ModelCard card = ModelCards.read(Path.of("baselines", "compact-unet.yaml"));
        int[] patch = card.preset("mini").patch();
        manager = Devices.manager(Device.cpu());
        Network network = Models.build(card, "mini", Head.segmentation(2), 1);
        network.initialize(manager, DataType.FLOAT32, new Shape(2, 1, patch[2], patch[1], patch[0]));
        if (engine.equals("onnx")) {
            onnxDir = Files.createTempDirectory("brainfm-bench");
            Path file = onnxDir.resolve("model.onnx");
            OnnxExport.write(network, new Shape(1, 1, patch[2], patch[1], patch[0]), "bench", file);
            model = new OnnxPatchModel(file, patch, 1, 2, true);
        } else {
            model = new DjlPatchModel(network, manager, patch, 1, 2, true);
        }
        float[] data = new float[size * size * size];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        image = Volume.of(size, size, size, new double[] {1, 1, 1}, data);
    }

    @Benchmark
    public Volume slidingWindow() {
        return SlidingWindow.withOverlap(overlap).dense(model, image);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        model.close();
        manager.close();
        if (onnxDir != null) {
            Files.deleteIfExists(onnxDir.resolve("model.onnx"));
            Files.deleteIfExists(onnxDir);
        }
    }
}
