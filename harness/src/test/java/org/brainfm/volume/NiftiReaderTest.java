package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.brainfm.volume.NiftiFiles.gzip;
import static org.brainfm.volume.NiftiFiles.header;
import static org.brainfm.volume.NiftiFiles.nii;
import static org.brainfm.volume.NiftiFiles.ramp;
import static org.brainfm.volume.NiftiFiles.write;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.brainfm.BrainfmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NiftiReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = NiftiDatatype.class, names = {"FLOAT32", "INT16", "UINT8"})
    void readsWhatTheWriterWrites(NiftiDatatype type) {
        for (String name : new String[] {"a.nii", "a.nii.gz"}) {
            for (Volume v : new Volume[] {ramp(5, 6, 7), ramp(4, 3, 2, 3)}) {
                Path f = dir.resolve(name);
                NiftiWriter.write(v, f, type);
                NiftiReader.Image image = NiftiReader.readImage(f, NiftiReader.DEFAULT_MAX_VOXELS);
                assertThat(image.volume().shape()).isEqualTo(v.shape());
                assertThat(image.volume().data()).isEqualTo(v.data());
                assertThat(image.volume().affine()).isDeepEqualTo(v.affine());
                assertThat(image.header().datatype()).isEqualTo(type);
                assertThat(image.header().format()).isEqualTo("nifti1");
                assertThat(image.header().spacing()).startsWith(2, 2.5, 3);
            }
        }
    }

    @Test
    void tellsGzipByItsMagicBytesNotItsName() {
        Volume v = ramp(6, 5, 4);
        byte[] plain = nii(v, NiftiDatatype.INT16, dir);
        Path gzNamedNii = write(dir, "gz.nii", gzip(plain));
        Path plainNamedGz = write(dir, "plain.nii.gz", plain);
        assertThat(NiftiReader.read(gzNamedNii).data()).isEqualTo(v.data());
        assertThat(NiftiReader.read(plainNamedGz).data()).isEqualTo(v.data());
    }

    @Test
    void appliesSlopeAndInterceptInDoubleLikeNibabel() {
        byte[] bytes = nii(ramp(5, 4, 3), NiftiDatatype.INT16, dir);
        header(bytes).putFloat(112, 0.1f).putFloat(116, -3.3f);
        float[] data = NiftiReader.read(write(dir, "s.nii", bytes)).data();
        assertThat(data[7]).isEqualTo((float) (7 * (double) 0.1f + (double) -3.3f));
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, Float.NaN, Float.POSITIVE_INFINITY})
    void slopeZeroOrNotFiniteMeansNoScaling(float slope) {
        byte[] bytes = nii(ramp(5, 4, 3), NiftiDatatype.UINT8, dir);
        header(bytes).putFloat(112, slope).putFloat(116, 7f);
        assertThat(NiftiReader.read(write(dir, "s.nii", bytes)).data()).isEqualTo(ramp(5, 4, 3).data());
    }

    @Test
    void dropsTrailingDimensionsOfOneFrame() {
        byte[] bytes = nii(ramp(5, 4, 3), NiftiDatatype.UINT8, dir);
        header(bytes).putShort(40, (short) 5).putShort(48, (short) 1).putShort(50, (short) 1);
        NiftiReader.Image image = NiftiReader.readImage(write(dir, "five.nii", bytes), 1000);
        assertThat(image.volume().shape()).containsExactly(5, 4, 3);
        assertThat(image.header().spacing()).hasSize(3);
    }

    @Test
    void paddsImagesOfFewerThanThreeDimensions() {
        byte[] bytes = nii(ramp(5, 4, 1), NiftiDatatype.UINT8, dir);
        header(bytes).putShort(40, (short) 2);
        assertThat(NiftiReader.read(write(dir, "flat.nii", bytes)).shape()).containsExactly(5, 4, 1);
    }

    @Test
    void withoutTransformCodesUsesNibabelsCentredFallback() {
        byte[] bytes = nii(ramp(5, 4, 3), NiftiDatatype.UINT8, dir);
        header(bytes).putShort(252, (short) 0).putShort(254, (short) 0);
        double[][] a = NiftiReader.read(write(dir, "fallback.nii", bytes)).affine();
        // pixdim is 2, 2.5, 3: x flipped, voxel (n-1)/2 at the origin
        assertThat(a).isDeepEqualTo(new double[][] {{-2, 0, 0, 4}, {0, 2.5, 0, -3.75}, {0, 0, 3, -3}, {0, 0, 0, 1}});
    }

    @Test
    void usesQformWhenSformCodeIsZeroOrInvalid() {
        Volume v = ramp(5, 4, 3);
        for (short code : new short[] {0, 9, -1}) {
            byte[] bytes = nii(v, NiftiDatatype.UINT8, dir);
            ByteBuffer h = header(bytes).putShort(254, code);
            for (int i = 0; i < 12; i++) {
                h.putFloat(280 + 4 * i, 0f);
            }
            double[][] a = NiftiReader.read(write(dir, "q.nii", bytes)).affine();
            for (int r = 0; r < 4; r++) {
                assertThat(a[r]).containsExactly(v.affine()[r], within(1e-6));
            }
        }
    }

    @Test
    void refusesMoreVoxelsThanTheLimit() {
        Path f = dir.resolve("big.nii.gz");
        NiftiWriter.write(ramp(10, 10, 10), f, NiftiDatatype.UINT8);
        assertProblem(() -> NiftiReader.readImage(f, 999), f,
                "dim[1..3] = 10x10x10: 1000 voxels, more than the limit of 999 (raise it with --max-voxels"
                        + " or -Dbrainfm.maxVoxels)");
        String old = System.setProperty(NiftiReader.MAX_VOXELS_PROPERTY, "999");
        try {
            assertThatThrownBy(() -> NiftiReader.read(f)).isInstanceOf(BrainfmException.class)
                    .hasMessageContaining("more than the limit of 999");
            System.setProperty(NiftiReader.MAX_VOXELS_PROPERTY, "lots");
            assertThatThrownBy(() -> NiftiReader.read(f)).isInstanceOf(BrainfmException.class)
                    .hasMessage("-Dbrainfm.maxVoxels: \"lots\": must be a positive whole number");
        } finally {
            System.clearProperty(NiftiReader.MAX_VOXELS_PROPERTY);
        }
        assertThat(NiftiReader.read(f).data()).hasSize(1000);
    }

    @Test
    void badHeadersNameTheirField() {
        bad(h -> h.putInt(0, 123), "sizeof_hdr = 123: not a NIfTI file (sizeof_hdr must be 348 for NIfTI-1 or 540"
                + " for NIfTI-2, in either byte order)");
        bad(h -> h.put(344, (byte) 'x'), "magic = \"x+1\": not a single-file NIfTI (expected \"n+1\")");
        bad(h -> h.put(345, (byte) 'i'), "magic = \"ni1\": the header of a .hdr/.img pair; brainfm reads"
                + " single-file NIfTI (.nii, .nii.gz)");
        bad(h -> h.putShort(40, (short) 0), "dim[0] = 0: the number of dimensions must be 1 to 7");
        bad(h -> h.putShort(40, (short) 8), "dim[0] = 8: the number of dimensions must be 1 to 7");
        bad(h -> h.putShort(44, (short) -3), "dim[2] = -3: dimensions must be positive");
        bad(h -> h.putShort(46, (short) 0), "dim[3] = 0: dimensions must be positive");
        bad(h -> h.putShort(40, (short) 5).putShort(48, (short) 1).putShort(50, (short) 2),
                "dim[5] = 2: brainfm reads 3D and 4D images; this one has 5 dimensions (a CIFTI or other"
                        + " non-volume file?)");
        bad(h -> h.putShort(70, (short) 32), "datatype = 32: not read by brainfm (it reads uint8, int8, int16,"
                + " uint16, int32, float32 and float64)");
        bad(h -> h.putFloat(108, 100f), "vox_offset = 100: must be at least 352 in a single-file NIfTI-1");
        bad(h -> h.putFloat(108, Float.NaN), "vox_offset = NaN: must be at least 352 in a single-file NIfTI-1");
        bad(h -> h.putFloat(108, 1e6f), "file is 412 bytes, but vox_offset 1000000, dim[1..3] = 5x4x3 and datatype"
                + " uint8 need 1000060 (truncated?)");
        bad(h -> h.putShort(42, (short) 30000).putShort(44, (short) 30000).putShort(46, (short) 30000),
                "dim[1..3] = 30000x30000x30000: 27000000000000 voxels, more than the limit of 1073741824 (raise it"
                        + " with --max-voxels or -Dbrainfm.maxVoxels)");
        bad(h -> h.putFloat(112, 2f).putFloat(116, Float.NaN), "scl_inter = NaN: must be finite when scl_slope"
                + " is set");
        bad(h -> h.putFloat(296, Float.POSITIVE_INFINITY), "srow_y[0] = Infinity: must be finite");
        bad(h -> h.putShort(254, (short) 0).putFloat(256, 1f).putFloat(260, 1f),
                "quatern_b, quatern_c, quatern_d = 1, 1, 0: not a unit quaternion (b^2 + c^2 + d^2 > 1)");
    }

    @Test
    void bigSizesInGzipAreRefusedBeforeAllocating() {
        byte[] bytes = nii(ramp(5, 4, 3), NiftiDatatype.UINT8, dir);
        header(bytes).putShort(42, (short) 1000).putShort(44, (short) 1000).putShort(46, (short) 1000);
        Path f = write(dir, "big.nii.gz", gzip(bytes));
        assertProblem(() -> NiftiReader.read(f), f, "vox_offset 352, dim[1..3] = 1000x1000x1000 and datatype uint8"
                + " need 1000000352 bytes, more than " + f.toFile().length() + " bytes of gzip can hold (truncated"
                + " or corrupt header?)");
    }

    @Test
    void shortFilesAndBrokenGzipAreCleanErrors() throws Exception {
        byte[] plain = nii(ramp(30, 20, 10), NiftiDatatype.INT16, dir);
        Path empty = write(dir, "empty.nii", new byte[0]);
        assertProblem(() -> NiftiReader.read(empty), empty, "file ends after 0 bytes, inside the header");
        Path headerOnly = write(dir, "head.nii", Arrays.copyOf(plain, 200));
        assertProblem(() -> NiftiReader.read(headerOnly), headerOnly,
                "file ends after 200 bytes, inside the 348-byte header");
        byte[] gz = gzip(plain);
        Path cut = write(dir, "cut.nii.gz", Arrays.copyOf(gz, gz.length / 2));
        assertProblem(() -> NiftiReader.read(cut), cut, "gzip data ends early (truncated file?)");
        Path cutData = write(dir, "cutdata.nii.gz", gzip(Arrays.copyOf(plain, plain.length - 10)));
        assertProblem(() -> NiftiReader.read(cutData), cutData,
                "voxel data ends after 11990 of the 12000 bytes that dim and datatype int16 promise (truncated file?)");
        byte[] crc = gz.clone();
        crc[crc.length - 6] ^= 1;
        Path badCrc = write(dir, "crc.nii.gz", crc);
        assertProblem(() -> NiftiReader.read(badCrc), badCrc, "corrupt gzip data: Corrupt GZIP trailer");
        Path notGzip = write(dir, "junk.nii.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertThatThrownBy(() -> NiftiReader.read(notGzip)).isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith(notGzip + ": ");
        assertProblem(() -> NiftiReader.read(dir), dir, "is a directory, not a NIfTI file");
        Path missing = dir.resolve("missing.nii");
        assertProblem(() -> NiftiReader.read(missing), missing, "no such file");
        assertThat(Files.exists(missing)).isFalse();
    }

    private void bad(Consumer<ByteBuffer> patch, String problem) {
        byte[] bytes = nii(ramp(5, 4, 3), NiftiDatatype.UINT8, dir);
        patch.accept(header(bytes));
        Path plain = write(dir, "bad.nii", bytes);
        assertProblem(() -> NiftiReader.read(plain), plain, problem);
        if (!problem.startsWith("file is")) {
            Path gz = write(dir, "bad.nii.gz", gzip(bytes));
            assertProblem(() -> NiftiReader.read(gz), gz, problem);
        }
    }

    private static void assertProblem(Runnable read, Path file, String problem) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(BrainfmException.class, e -> {
            assertThat(e.what()).isEqualTo(file.toString());
            assertThat(e.problem()).isEqualTo(problem);
        });
    }
}
