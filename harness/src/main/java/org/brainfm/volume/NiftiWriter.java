package org.brainfm.volume;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes NIfTI-1 single files ({@code .nii} or {@code .nii.gz}), little endian, with the
 * affine stored both as sform and as qform (code 1, scanner anatomical).
 * Output is deterministic: the same volume gives the same bytes (gzip mtime is 0).
 */
public final class NiftiWriter {
    static final int HEADER_SIZE = 348;
    /** Header plus the 4-byte extension flag. */
    static final int VOX_OFFSET = 352;

    private NiftiWriter() {}

    /**
     * Writes {@code volume} to {@code file} as {@code datatype} (FLOAT32, INT16 or UINT8);
     * integer types round and clamp. The file appears whole or not at all (written
     * beside it, then moved), so a crash never leaves half a volume behind.
     */
    public static void write(Volume volume, Path file, NiftiDatatype datatype) {
        if (datatype != NiftiDatatype.FLOAT32 && datatype != NiftiDatatype.INT16 && datatype != NiftiDatatype.UINT8) {
            throw new IllegalArgumentException("writes float32, int16 or uint8, not " + datatype.label());
        }
        for (int extent : volume.shape()) {
            if (extent > Short.MAX_VALUE) {
                throw new IllegalArgumentException("NIfTI-1 extents are at most " + Short.MAX_VALUE + ", got "
                        + Arrays.toString(volume.shape()));
            }
        }
        String name = file.getFileName().toString();
        boolean gz = name.endsWith(".nii.gz");
        if (!gz && !name.endsWith(".nii")) {
            throw new IllegalArgumentException(file + ": name must end in .nii or .nii.gz");
        }
        Path tmp = file.resolveSibling("." + name + ".tmp");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream raw = Files.newOutputStream(tmp);
                    OutputStream out = gz ? new FastGzip(raw) : new BufferedOutputStream(raw, 1 << 16)) {
                out.write(header(volume, datatype).array());
                writeVoxels(volume.data(), datatype, out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    static ByteBuffer header(Volume v, NiftiDatatype datatype) {
        ByteBuffer h = ByteBuffer.allocate(VOX_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        int[] shape = v.shape();
        double[][] a = v.affine();
        double[] spacing = v.spacing();
        h.putInt(0, HEADER_SIZE);
        h.put(38, (byte) 'r'); // regular = 'r', as every writer sets it
        h.putShort(40, (short) shape.length);
        for (int i = 0; i < shape.length; i++) {
            h.putShort(42 + 2 * i, (short) shape[i]);
        }
        for (int i = shape.length; i < 7; i++) {
            h.putShort(42 + 2 * i, (short) 1);
        }
        h.putShort(70, (short) datatype.code());
        h.putShort(72, (short) datatype.bitpix());
        Quaternion q = Quaternion.of(a);
        h.putFloat(76, (float) q.qfac());
        for (int i = 0; i < 3; i++) {
            h.putFloat(80 + 4 * i, (float) spacing[i]);
        }
        h.putFloat(92, shape.length == 4 ? 1f : 0f);
        h.putFloat(108, VOX_OFFSET);
        h.putFloat(112, 1f); // scl_slope
        h.putFloat(116, 0f); // scl_inter
        h.put(123, (byte) (2 | 8)); // xyzt_units: mm, seconds
        h.putShort(252, (short) 1); // qform_code: scanner
        h.putShort(254, (short) 1); // sform_code: scanner
        h.putFloat(256, (float) q.b());
        h.putFloat(260, (float) q.c());
        h.putFloat(264, (float) q.d());
        for (int i = 0; i < 3; i++) {
            h.putFloat(268 + 4 * i, (float) a[i][3]);
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                h.putFloat(280 + 16 * r + 4 * c, (float) a[r][c]);
            }
        }
        h.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
        return h; // bytes 348-351: no extensions
    }

    private static void writeVoxels(float[] data, NiftiDatatype type, OutputStream out) throws IOException {
        int chunk = 1 << 16;
        ByteBuffer buf = ByteBuffer.allocate(chunk * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < data.length; start += chunk) {
            int end = Math.min(data.length, start + chunk);
            buf.clear();
            switch (type) {
                case FLOAT32 -> buf.asFloatBuffer().put(data, start, end - start);
                case INT16 -> {
                    for (int i = start; i < end; i++) {
                        buf.putShort((short) clamp(data[i], Short.MIN_VALUE, Short.MAX_VALUE));
                    }
                }
                default -> {
                    for (int i = start; i < end; i++) {
                        buf.put((byte) clamp(data[i], 0, 255));
                    }
                }
            }
            out.write(buf.array(), 0, (end - start) * type.bytes());
        }
    }

    private static long clamp(float v, long lo, long hi) {
        if (Float.isNaN(v)) {
            return 0;
        }
        return Math.max(lo, Math.min(hi, Math.round(v)));
    }

    /** gzip at level 1: about three times faster than the default for a few percent in size. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
