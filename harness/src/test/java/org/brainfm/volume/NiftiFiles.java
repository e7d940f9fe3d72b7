package org.brainfm.volume;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Test files: small volumes written by NiftiWriter, as bytes to patch, gzip and write back. */
final class NiftiFiles {
    static final Path MRICRON = Path.of("/usr/share/mricron/templates");
    static final Path NIBABEL = Path.of("/usr/lib/python3/dist-packages/nibabel/tests/data");

    private NiftiFiles() {}

    /** A volume whose voxel values differ, so that any misplaced byte shows. */
    static Volume ramp(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i % 251;
        }
        double[][] affine = {{-2, 0, 0, 30}, {0, 2.5, 0, -40}, {0, 0, 3, -12.5}, {0, 0, 0, 1}};
        return new Volume(shape, data, affine);
    }

    /** The uncompressed .nii bytes NiftiWriter writes for {@code v}. */
    static byte[] nii(Volume v, NiftiDatatype type, Path dir) {
        try {
            Path f = Files.createTempFile(dir, "w", ".nii");
            NiftiWriter.write(v, f, type);
            byte[] bytes = Files.readAllBytes(f);
            Files.delete(f);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A little-endian view of NIfTI-1 bytes, to patch header fields in place. */
    static ByteBuffer header(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file the tests rely on; fails with the package that ships it when missing. */
    static Path required(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(file + " is missing: install mricron-data and python3-nibabel (scripts/test does)");
        }
        return file;
    }
}
