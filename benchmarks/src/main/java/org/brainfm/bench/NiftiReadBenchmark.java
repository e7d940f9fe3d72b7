package org.brainfm.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Reading a NIfTI file into a float volume, as {@code nib.load(f).get_fdata(dtype=np.float32)}
 * does; scripts/bench-nifti runs it beside nibabel and prints the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NiftiReadBenchmark {
    @Param("/usr/share/mricron/templates/ch2better.nii.gz")
    public String file;

    @Benchmark
    public Volume read() {
        return NiftiReader.read(Path.of(file));
    }
}
