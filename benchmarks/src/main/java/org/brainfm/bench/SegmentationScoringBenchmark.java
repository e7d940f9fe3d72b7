package org.brainfm.bench;

import java.util.concurrent.TimeUnit;
import org.brainfm.metrics.DistanceGrid;
import org.brainfm.metrics.SegmentationMetrics;
import org.brainfm.metrics.SegmentationScores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dice + NSD + HD95 of one pair of sphere-ish masks ({@link SphereMasks}). scripts/bench-metrics
 * runs it beside the scipy reference on the same masks and prints the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class SegmentationScoringBenchmark {
    @Param("256")
    int size;

    @Param("2.0")
    double toleranceMm;

    private boolean[] pred;
    private boolean[] ref;
    private DistanceGrid grid;

    @Setup
    public void masks() {
        grid = SphereMasks.grid(size);
        pred = SphereMasks.prediction(size);
        ref = SphereMasks.reference(size);
    }

    @Benchmark
    public SegmentationScores diceNsdHd95() {
        return SegmentationMetrics.score(pred, ref, grid, toleranceMm);
    }
}
