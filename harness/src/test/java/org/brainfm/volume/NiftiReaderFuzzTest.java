package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.brainfm.BrainfmException;

/**
 * Valid files with bytes flipped, overwritten, cut off or inserted: reading one either gives
 * a well-formed volume or a one-line BrainfmException about that file; nothing else, and
 * never a hang.
 */
class NiftiReaderFuzzTest {
    /**
     * Where the fields the reader uses start, in NIfTI-1 and NIfTI-2 headers (sizeof_hdr, magic,
     * dim, datatype, pixdim, vox_offset, scaling, xform codes, quaternion, srow, extension flag):
     * most mutations land on or just after one of them.
     */
    private static final Integer[] FIELDS = {
        0, 4, 12, 16, 24, 32, 40, 42, 44, 46, 48, 50, 56, 70, 76, 80, 104, 108, 112, 116, 120, 168, 176, 184,
        252, 254, 256, 268, 280, 312, 344, 348, 352, 376, 400, 464, 496, 540
    };
    private static final long MAX_VOXELS = 1 << 22;
    private static Path dir;
    private static List<byte[]> seeds;

    @BeforeContainer
    static void seeds() throws IOException {
        dir = Files.createTempDirectory("brainfm-fuzz");
        seeds = new ArrayList<>();
        seeds.add(NiftiFiles.nii(NiftiFiles.ramp(7, 6, 5), NiftiDatatype.FLOAT32, dir));
        seeds.add(NiftiFiles.nii(NiftiFiles.ramp(4, 5, 3, 2), NiftiDatatype.INT16, dir));
        seeds.add(NiftiFiles.nii(NiftiFiles.ramp(9, 8, 7), NiftiDatatype.UINT8, dir));
        // big-endian int16, NIfTI-2, a 4D scaled file and a gzipped sform-only uint8
        seeds.add(Files.readAllBytes(NiftiFiles.required(NiftiFiles.NIBABEL.resolve("anatomical.nii"))));
        seeds.add(NiftiFiles.gunzip(Files.readAllBytes(NiftiFiles.required(NiftiFiles.NIBABEL.resolve("example_nifti2.nii.gz")))));
        seeds.add(Files.readAllBytes(NiftiFiles.required(NiftiFiles.NIBABEL.resolve("functional.nii"))));
        seeds.add(NiftiFiles.gunzip(Files.readAllBytes(NiftiFiles.required(NiftiFiles.NIBABEL.resolve("standard.nii.gz")))));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    /** One change to a file's bytes. */
    record Mutation(String kind, int at, byte[] bytes) {
        byte[] apply(byte[] in) {
            int pos = Math.min(at, in.length);
            byte[] out;
            switch (kind) {
                case "flip" -> {
                    out = in.clone();
                    for (int i = 0; i < bytes.length && pos + i < out.length; i++) {
                        out[pos + i] ^= bytes[i] == 0 ? 1 : bytes[i];
                    }
                }
                case "truncate" -> out = Arrays.copyOf(in, pos);
                default -> {
                    out = new byte[in.length + bytes.length];
                    System.arraycopy(in, 0, out, 0, pos);
                    System.arraycopy(bytes, 0, out, pos, bytes.length);
                    System.arraycopy(in, pos, out, pos + bytes.length, in.length - pos);
                }
            }
            return out;
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Integer> nearField = Combinators.combine(Arbitraries.of(FIELDS), Arbitraries.integers().between(0, 7))
                .as(Integer::sum);
        Arbitrary<Integer> position = Arbitraries.frequencyOf(
                Tuple.of(4, nearField), Tuple.of(1, Arbitraries.integers().between(0, 1 << 17)));
        return Combinators.combine(Arbitraries.of("flip", "truncate", "insert"), position,
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)).as(Mutation::new);
    }

    @Provide
    Arbitrary<Integer> seedIndex() {
        return Arbitraries.integers().between(0, seeds.size() - 1);
    }

    @Property(tries = 250)
    void mutatedFilesReadOrFailCleanly(@ForAll("seedIndex") int seed, @ForAll("mutations") Mutation first,
            @ForAll("mutations") Mutation second, @ForAll boolean twice, @ForAll boolean gzipAfter) {
        byte[] bytes = first.apply(seeds.get(seed));
        if (twice) {
            bytes = second.apply(bytes);
        }
        readOrFailCleanly(gzipAfter ? NiftiFiles.gzip(bytes) : bytes);
    }

    @Property(tries = 100)
    void mutatedGzipReadsOrFailsCleanly(@ForAll("seedIndex") int seed, @ForAll("mutations") Mutation mutation) {
        byte[] gz = NiftiFiles.gzip(seeds.get(seed));
        // the deflate stream starts after the 10-byte gzip header; aim at it and at the trailer
        Mutation shifted = new Mutation(mutation.kind(), mutation.at() % (gz.length + 1), mutation.bytes());
        readOrFailCleanly(shifted.apply(gz));
    }

    private static void readOrFailCleanly(byte[] bytes) {
        Path file = write(bytes);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                NiftiReader.Image image = NiftiReader.readImage(file, MAX_VOXELS);
                Volume v = image.volume();
                long n = 1;
                for (int s : v.shape()) {
                    assertThat(s).isPositive();
                    n *= s;
                }
                assertThat(v.data()).hasSize((int) n);
                assertThat(v.shape()).isEqualTo(image.header().shape());
                for (double[] row : v.affine()) {
                    for (double x : row) {
                        assertThat(Double.isFinite(x)).isTrue();
                    }
                }
                Orientation.code(v.affine());
            } catch (BrainfmException e) {
                assertThat(e.what()).isEqualTo(file.toString());
                assertThat(e.problem()).isNotBlank().doesNotContain("\n");
            }
        });
    }

    private static Path write(byte[] bytes) {
        try {
            return Files.write(dir.resolve("fuzz.nii"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
