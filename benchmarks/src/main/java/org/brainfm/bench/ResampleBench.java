package org.brainfm.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.brainfm.volume.Interpolation;
import org.brainfm.volume.Resample;
import org.brainfm.volume.Volume;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resampling a 256^3 1 mm volume to 1.5 mm (171^3): trilinear and nearest. scripts/bench-resample
 * runs it next to scipy.ndimage.zoom(order=1) on the same size and prints the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ResampleBench {
    private static final int N = 256;
    private Volume volume;

    @Setup
    public void setUp() {
        float[] data = new float[N * N * N];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble(1000);
        }
        volume = Volume.of(N, N, N, new double[] {1, 1, 1}, data);
    }

    @Benchmark
    public Volume trilinearTo1p5mm() {
        return Resample.toSpacing(Interpolation.LINEAR, 1.5, 1.5, 1.5).apply(volume);
    }

    @Benchmark
    public Volume nearestTo1p5mm() {
        return Resample.toSpacing(Interpolation.NEAREST, 1.5, 1.5, 1.5).apply(volume);
    }
}
