package org.brainfm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.brainfm.data.Anatomy;
import org.brainfm.data.Phantom;
import org.brainfm.data.PhantomContrast;
import org.brainfm.data.PhantomSession;
import org.brainfm.data.PhantomSettings;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiWriter;
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
 * One phantom subject-session on one thread: rendering (tissue map and four contrasts), and
 * rendering plus writing the six NIfTI files, at 64^3 and 128^3. The render-only figure is the
 * reference the writing cost is read against.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class PhantomBenchmark {
    @Param({"64", "128"})
    int size;

    private PhantomSettings settings;
    private Path dir;
    private int subject;

    @Setup
    public void setUp() throws IOException {
        settings = new PhantomSettings(1, 1000, 1, size, 0.3, 0.3);
        dir = Files.createTempDirectory("phantom-bench");
    }

    @Benchmark
    public PhantomSession render() {
        return Phantom.render(Anatomy.of(settings, subject++ % 1000), 0, size);
    }

    @Benchmark
    public PhantomSession renderAndWrite() {
        PhantomSession s = Phantom.render(Anatomy.of(settings, subject++ % 1000), 0, size);
        for (PhantomContrast c : PhantomContrast.values()) {
            NiftiWriter.write(s.image(c), dir.resolve(c.id() + ".nii.gz"), NiftiDatatype.INT16);
        }
        NiftiWriter.write(s.tissue(), dir.resolve("tissue.nii.gz"), NiftiDatatype.UINT8);
        NiftiWriter.write(s.meningiomaMask(), dir.resolve("seg.nii.gz"), NiftiDatatype.UINT8);
        return s;
    }
}
