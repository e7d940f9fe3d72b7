package org.brainfm.volume;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.brainfm.BrainfmException;

/**
 * Reads single-file NIfTI-1 and NIfTI-2 images ({@code .nii}, or gzipped whatever the name),
 * in either byte order, as {@link Volume}s with scaling applied.
 *
 * <p>Every size is checked before memory is taken: the voxel count against a limit, the data
 * the header promises against the file's size (for gzip, against the most that deflate can
 * expand it), so a corrupt or hostile file ends in a {@link BrainfmException}, never in an
 * OutOfMemoryError or a hang.
 */
public final class NiftiReader {
    /** Default limit on voxels per image: 2^30 (4 GiB of floats). */
    public static final long DEFAULT_MAX_VOXELS = 1L << 30;
    /** System property that overrides {@link #DEFAULT_MAX_VOXELS}. */
    public static final String MAX_VOXELS_PROPERTY = "brainfm.maxVoxels";
    /** The longest float[] a JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Deflate expands at most about 1032:1 (a 258-byte match in under 2 bits). */
    private static final long DEFLATE_MAX_RATIO = 1032;
    private static final int GZIP_BUFFER = 1 << 18;
    /** Bytes converted per step: a multiple of every voxel size, small enough to stay in cache. */
    private static final int CHUNK = 1 << 20;

    private NiftiReader() {}

    /** A header and the volume it describes. */
    public record Image(NiftiHeader header, Volume volume) {}

    /** Reads the image at {@code file}, with the voxel limit of {@link #maxVoxels()}. */
    public static Volume read(Path file) {
        return readImage(file, maxVoxels()).volume();
    }

    /**
     * Reads the header and voxels of {@code file}.
     *
     * @param maxVoxels refuse images with more voxels than this
     * @throws BrainfmException for a missing, unreadable or invalid file; {@code what} is the file
     */
    public static Image readImage(Path file, long maxVoxels) {
        String what = file.toString();
        try (Source source = Source.open(file)) {
            NiftiHeader header = readHeader(source, what);
            long voxels = checkSize(header, maxVoxels, source, what);
            skip(source.in, header.voxOffset() - source.consumed, header, what);
            float[] data = allocate(voxels, what);
            readVoxels(source.in, header, data, what);
            source.checkTrailer();
            return new Image(header, new Volume(header.shape(), data, header.affine()));
        } catch (IOException e) {
            throw ioProblem(e, what);
        }
    }

    /** Reads only the header of {@code file}. */
    public static NiftiHeader readHeader(Path file) {
        String what = file.toString();
        try (Source source = Source.open(file)) {
            return readHeader(source, what);
        } catch (IOException e) {
            throw ioProblem(e, what);
        }
    }

    /** The voxel limit: the system property {@value #MAX_VOXELS_PROPERTY} or 2^30. */
    public static long maxVoxels() {
        String value = System.getProperty(MAX_VOXELS_PROPERTY);
        if (value == null) {
            return DEFAULT_MAX_VOXELS;
        }
        try {
            long limit = Long.parseLong(value.trim());
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new BrainfmException("-D" + MAX_VOXELS_PROPERTY, "\"" + value + "\": must be a positive whole number");
    }

    private static NiftiHeader readHeader(Source source, String what) throws IOException {
        byte[] bytes = new byte[NiftiHeader.NIFTI2_SIZE];
        int n = source.in.readNBytes(bytes, 0, NiftiHeader.NIFTI1_SIZE);
        if (n == NiftiHeader.NIFTI1_SIZE && isNifti2(bytes)) {
            n += source.in.readNBytes(bytes, n, NiftiHeader.NIFTI2_SIZE - n);
        }
        source.consumed = n;
        return NiftiHeader.parse(bytes, n, what);
    }

    private static boolean isNifti2(byte[] b) {
        int size = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        return size == NiftiHeader.NIFTI2_SIZE || Integer.reverseBytes(size) == NiftiHeader.NIFTI2_SIZE;
    }

    /** The voxel count, once it is known to fit the limit, memory and the file. */
    private static long checkSize(NiftiHeader h, long maxVoxels, Source source, String what) throws IOException {
        long voxels = h.voxels();
        long limit = Math.min(maxVoxels, MAX_ARRAY);
        if (voxels > limit) {
            throw new BrainfmException(what, dims(h) + ": " + (voxels == Long.MAX_VALUE ? "more than 2^63" : voxels)
                    + " voxels, more than the limit of " + limit
                    + " (raise it with --max-voxels or -D" + MAX_VOXELS_PROPERTY + ")");
        }
        long end = h.voxOffset() + voxels * h.datatype().bytes();
        long size = source.channel.size();
        if (!source.gzip && end > size) {
            throw new BrainfmException(what, "file is " + size + " bytes, but vox_offset " + h.voxOffset() + ", "
                    + dims(h) + " and datatype " + h.datatype().label() + " need " + end + " (truncated?)");
        }
        if (source.gzip && end > size * DEFLATE_MAX_RATIO + 1024) {
            throw new BrainfmException(what, "vox_offset " + h.voxOffset() + ", " + dims(h) + " and datatype "
                    + h.datatype().label() + " need " + end + " bytes, more than " + size
                    + " bytes of gzip can hold (truncated or corrupt header?)");
        }
        return voxels;
    }

    private static String dims(NiftiHeader h) {
        long[] dim = h.dim();
        StringBuilder s = new StringBuilder("dim[1.." + dim[0] + "] = ");
        for (int i = 1; i <= dim[0]; i++) {
            s.append(i > 1 ? "x" : "").append(dim[i]);
        }
        return s.toString();
    }

    private static float[] allocate(long voxels, String what) {
        long bytes = voxels * Float.BYTES;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw outOfMemory(voxels, heap, what);
        }
        try {
            return new float[(int) voxels];
        } catch (OutOfMemoryError e) {
            throw outOfMemory(voxels, heap, what);
        }
    }

    private static BrainfmException outOfMemory(long voxels, long heap, String what) {
        return new BrainfmException(what, voxels + " voxels need " + (voxels * Float.BYTES >> 20)
                + " MiB, more than the Java heap has free (at most " + (heap >> 20)
                + " MiB); raise -Xmx through BRAINFM_JAVA_OPTS");
    }

    private static void skip(InputStream in, long bytes, NiftiHeader h, String what) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new BrainfmException(what, "vox_offset = " + h.voxOffset() + ": beyond the end of the file");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** Reads and converts the voxels chunk by chunk: the raw bytes never exist whole in memory. */
    private static void readVoxels(InputStream in, NiftiHeader h, float[] out, String what) throws IOException {
        NiftiDatatype type = h.datatype();
        int size = type.bytes();
        byte[] buf = new byte[(int) Math.min(CHUNK, (long) out.length * size)];
        ByteBuffer bytes = ByteBuffer.wrap(buf).order(h.byteOrder());
        boolean scaled = h.scaled();
        double slope = h.sclSlope();
        double inter = h.sclInter();
        for (int done = 0; done < out.length; ) {
            int count = Math.min(out.length - done, buf.length / size);
            int got = in.readNBytes(buf, 0, count * size);
            if (got < count * size) {
                long have = (long) done * size + got;
                throw new BrainfmException(what, "voxel data ends after " + have + " of the "
                        + (long) out.length * size + " bytes that dim and datatype " + type.label()
                        + " promise (truncated file?)");
            }
            if (scaled) {
                convertScaled(type, bytes, out, done, count, slope, inter);
            } else {
                convert(type, bytes, out, done, count);
            }
            done += count;
        }
    }

    private static void convert(NiftiDatatype type, ByteBuffer b, float[] out, int at, int n) {
        byte[] raw = b.array();
        switch (type) {
            case FLOAT32 -> b.asFloatBuffer().get(out, at, n);
            case UINT8 -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = raw[i] & 0xff;
                }
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) {
                    out[at + i] = raw[i];
                }
            }
            case INT16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = s.get(i);
                }
            }
            case UINT16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = s.get(i) & 0xffff;
                }
            }
            case INT32 -> {
                IntBuffer s = b.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = s.get(i);
                }
            }
            case FLOAT64 -> {
                DoubleBuffer s = b.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[at + i] = (float) s.get(i);
                }
            }
        }
    }

    /** Scaling in double from the raw value, as nibabel does, rounded to float once. */
    private static void convertScaled(NiftiDatatype type, ByteBuffer b, float[] out, int at, int n,
            double slope, double inter) {
        for (int i = 0; i < n; i++) {
            double raw = switch (type) {
                case UINT8 -> b.get(i) & 0xff;
                case INT8 -> b.get(i);
                case INT16 -> b.getShort(2 * i);
                case UINT16 -> b.getShort(2 * i) & 0xffff;
                case INT32 -> b.getInt(4 * i);
                case FLOAT32 -> b.getFloat(4 * i);
                case FLOAT64 -> b.getDouble(8 * i);
            };
            out[at + i] = (float) (raw * slope + inter);
        }
    }

    private static BrainfmException ioProblem(IOException e, String what) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchFileException) {
            return new BrainfmException(what, "no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new BrainfmException(what, "permission denied", e);
        }
        if (e instanceof EOFException) {
            return new BrainfmException(what, "gzip data ends early (truncated file?)", e);
        }
        if (e instanceof ZipException) {
            return new BrainfmException(what, "corrupt gzip data: " + message, e);
        }
        return new BrainfmException(what, "cannot read: " + message, e);
    }

    /** The file's bytes, inflated when they start with the gzip magic, whatever the name says. */
    private static final class Source implements AutoCloseable {
        final FileChannel channel;
        final boolean gzip;
        final InputStream in;
        long consumed;

        private Source(FileChannel channel, boolean gzip, InputStream in) {
            this.channel = channel;
            this.gzip = gzip;
            this.in = in;
        }

        static Source open(Path file) throws IOException {
            if (Files.isDirectory(file)) {
                throw new BrainfmException(file.toString(), "is a directory, not a NIfTI file");
            }
            FileChannel channel = FileChannel.open(file);
            try {
                ByteBuffer magic = ByteBuffer.allocate(2);
                while (magic.hasRemaining() && channel.read(magic) >= 0) {
                    // a file of fewer than two bytes fails later, on its header
                }
                channel.position(0);
                boolean gzip = magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b;
                InputStream raw = Channels.newInputStream(channel);
                return new Source(channel, gzip, gzip ? new GZIPInputStream(raw, GZIP_BUFFER) : raw);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        /** Reaching the end of a gzip member checks its CRC, which catches corrupt voxel bytes. */
        void checkTrailer() throws IOException {
            if (gzip) {
                in.read();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
            channel.close();
        }
    }
}
