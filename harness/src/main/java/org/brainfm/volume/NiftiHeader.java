package org.brainfm.volume;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.brainfm.BrainfmException;

/**
 * The fields of a NIfTI-1 or NIfTI-2 header that brainfm uses, checked, and what follows from
 * them: the image shape, the voxel spacing and the voxel-to-world affine, each derived as
 * nibabel derives them, so that brainfm and nibabel agree on every file both can read.
 */
public final class NiftiHeader {
    static final int NIFTI1_SIZE = 348;
    static final int NIFTI2_SIZE = 540;
    /** Codes 0-5 are the xform codes NIfTI defines; like nibabel, any other counts as 0. */
    private static final int MAX_XFORM_CODE = 5;
    /** nibabel's tolerance for b^2 + c^2 + d^2 slightly above 1 in a stored quaternion. */
    private static final double QUATERNION_SLACK = 3 * Math.ulp(1f);

    private final String format;
    private final ByteOrder byteOrder;
    private final NiftiDatatype datatype;
    private final long[] dim;
    private final double[] pixdim;
    private final long voxOffset;
    private final double sclSlope;
    private final double sclInter;
    private final int qformCode;
    private final int sformCode;
    private final int[] shape;
    private final double[] spacing;
    private final double[][] affine;

    private NiftiHeader(Raw raw, String what) {
        format = raw.nifti2 ? "nifti2" : "nifti1";
        byteOrder = raw.order;
        dim = raw.dim;
        pixdim = raw.pixdim;
        voxOffset = raw.voxOffset;
        sclSlope = raw.sclSlope;
        sclInter = raw.sclInter;
        qformCode = raw.qformCode;
        sformCode = raw.sformCode;
        datatype = NiftiDatatype.ofCode(raw.datatype);
        if (datatype == null) {
            throw new BrainfmException(what, "datatype = " + raw.datatype + ": not read by brainfm"
                    + " (it reads uint8, int8, int16, uint16, int32, float32 and float64)");
        }
        shape = shapeOf(dim, what);
        if (scaled() && !Double.isFinite(sclInter)) {
            throw new BrainfmException(what, "scl_inter = " + sclInter + ": must be finite when scl_slope is set");
        }
        spacing = new double[shape.length];
        for (int i = 0; i < shape.length; i++) {
            spacing[i] = i < 3 ? spatialZoom(i) : pixdim[i + 1];
        }
        affine = bestAffine(raw, what);
    }

    /**
     * Parses the first bytes of a file: 348 of them are enough to tell the format, and a
     * NIfTI-2 header needs 540.
     *
     * @param what the file, for error messages
     * @throws BrainfmException naming the header field that is wrong
     */
    static NiftiHeader parse(byte[] bytes, int length, String what) {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int size = length >= 4 ? b.getInt(0) : -1;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (size != NIFTI1_SIZE && size != NIFTI2_SIZE) {
            int swapped = Integer.reverseBytes(size);
            if (length < 4 || (swapped != NIFTI1_SIZE && swapped != NIFTI2_SIZE)) {
                throw new BrainfmException(what, length < 4 ? "file ends after " + length + " bytes, inside the header"
                        : "sizeof_hdr = " + size + ": not a NIfTI file (sizeof_hdr must be 348 for NIfTI-1"
                                + " or 540 for NIfTI-2, in either byte order)");
            }
            size = swapped;
            order = ByteOrder.BIG_ENDIAN;
        }
        if (length < size) {
            throw new BrainfmException(what, "file ends after " + length + " bytes, inside the "
                    + size + "-byte header");
        }
        b.order(order);
        Raw raw = size == NIFTI1_SIZE ? nifti1(b, what) : nifti2(b, what);
        raw.order = order;
        return new NiftiHeader(raw, what);
    }

    /** The header's bytes as stored, before any check: what both versions have in common. */
    private static final class Raw {
        boolean nifti2;
        ByteOrder order;
        int datatype;
        long[] dim = new long[8];
        double[] pixdim = new double[8];
        double voxOffsetValue;
        long voxOffset;
        double sclSlope;
        double sclInter;
        int qformCode;
        int sformCode;
        double[] quatern = new double[3];
        double[] qoffset = new double[3];
        double[][] srow = new double[3][4];
    }

    private static Raw nifti1(ByteBuffer b, String what) {
        checkMagic(b, 344, "n+1", "ni1", what);
        Raw r = new Raw();
        for (int i = 0; i < 8; i++) {
            r.dim[i] = b.getShort(40 + 2 * i);
            r.pixdim[i] = b.getFloat(76 + 4 * i);
        }
        r.datatype = b.getShort(70);
        r.voxOffsetValue = b.getFloat(108);
        r.sclSlope = b.getFloat(112);
        r.sclInter = b.getFloat(116);
        r.qformCode = b.getShort(252);
        r.sformCode = b.getShort(254);
        for (int i = 0; i < 3; i++) {
            r.quatern[i] = b.getFloat(256 + 4 * i);
            r.qoffset[i] = b.getFloat(268 + 4 * i);
            for (int c = 0; c < 4; c++) {
                r.srow[i][c] = b.getFloat(280 + 16 * i + 4 * c);
            }
        }
        r.voxOffset = checkOffset(r.voxOffsetValue, NIFTI1_SIZE + 4, "NIfTI-1", what);
        return r;
    }

    private static Raw nifti2(ByteBuffer b, String what) {
        checkMagic(b, 4, "n+2", "ni2", what);
        Raw r = new Raw();
        r.nifti2 = true;
        r.datatype = b.getShort(12);
        for (int i = 0; i < 8; i++) {
            r.dim[i] = b.getLong(16 + 8 * i);
            r.pixdim[i] = b.getDouble(104 + 8 * i);
        }
        r.voxOffsetValue = b.getLong(168);
        r.sclSlope = b.getDouble(176);
        r.sclInter = b.getDouble(184);
        r.qformCode = b.getInt(344);
        r.sformCode = b.getInt(348);
        for (int i = 0; i < 3; i++) {
            r.quatern[i] = b.getDouble(352 + 8 * i);
            r.qoffset[i] = b.getDouble(376 + 8 * i);
            for (int c = 0; c < 4; c++) {
                r.srow[i][c] = b.getDouble(400 + 32 * i + 8 * c);
            }
        }
        r.voxOffset = checkOffset(r.voxOffsetValue, NIFTI2_SIZE + 4, "NIfTI-2", what);
        return r;
    }

    private static void checkMagic(ByteBuffer b, int at, String single, String pair, String what) {
        byte[] m = new byte[3];
        b.get(at, m);
        String magic = new String(m, StandardCharsets.ISO_8859_1);
        if (magic.equals(single) && b.get(at + 3) == 0) {
            return;
        }
        if (magic.equals(pair) && b.get(at + 3) == 0) {
            throw new BrainfmException(what, "magic = \"" + pair + "\": the header of a .hdr/.img pair;"
                    + " brainfm reads single-file NIfTI (.nii, .nii.gz)");
        }
        throw new BrainfmException(what, "magic = \"" + printable(m) + "\": not a single-file NIfTI"
                + " (expected \"" + single + "\")");
    }

    private static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.toString();
    }

    private static long checkOffset(double value, int minimum, String version, String what) {
        if (!(value >= minimum) || value > Long.MAX_VALUE / 2) {
            throw new BrainfmException(what, "vox_offset = " + number(value) + ": must be at least "
                    + minimum + " in a single-file " + version);
        }
        return (long) value;
    }

    /**
     * The shape brainfm reads: dim[1..dim[0]], at least three dimensions (missing ones are 1),
     * a fourth only when it has more than one frame; dimensions past the fourth must be 1.
     */
    private static int[] shapeOf(long[] dim, String what) {
        long ndim = dim[0];
        if (ndim < 1 || ndim > 7) {
            throw new BrainfmException(what, "dim[0] = " + ndim + ": the number of dimensions must be 1 to 7");
        }
        for (int i = 1; i <= ndim; i++) {
            if (dim[i] <= 0) {
                throw new BrainfmException(what, "dim[" + i + "] = " + dim[i] + ": dimensions must be positive");
            }
            if (dim[i] > Integer.MAX_VALUE) {
                throw new BrainfmException(what, "dim[" + i + "] = " + dim[i] + ": larger than brainfm can hold ("
                        + Integer.MAX_VALUE + ")");
            }
        }
        for (int i = 5; i <= ndim; i++) {
            if (dim[i] != 1) {
                throw new BrainfmException(what, "dim[" + i + "] = " + dim[i] + ": brainfm reads 3D and 4D images;"
                        + " this one has " + ndim + " dimensions (a CIFTI or other non-volume file?)");
            }
        }
        boolean frames = ndim >= 4 && dim[4] > 1;
        int[] shape = new int[frames ? 4 : 3];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = i < ndim ? (int) dim[i + 1] : 1;
        }
        return shape;
    }

    /** pixdim[i+1] as nibabel reads it: negative values made positive, zero taken as 1. */
    private double spatialZoom(int i) {
        double z = Math.abs(pixdim[i + 1]);
        return z == 0 || Double.isNaN(z) ? 1 : z;
    }

    private static boolean validCode(int code) {
        return code > 0 && code <= MAX_XFORM_CODE;
    }

    /** sform when its code is set, else qform when its code is set, else nibabel's fallback. */
    private double[][] bestAffine(Raw raw, String what) {
        double[][] a = new double[4][4];
        a[3][3] = 1;
        if (validCode(sformCode)) {
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    a[r][c] = finite(raw.srow[r][c], "srow_" + "xyz".charAt(r) + "[" + c + "]", what);
                }
            }
        } else if (validCode(qformCode)) {
            for (int i = 0; i < 3; i++) {
                finite(raw.quatern[i], "quatern_" + "bcd".charAt(i), what);
                finite(raw.qoffset[i], "qoffset_" + "xyz".charAt(i), what);
                finite(pixdim[i + 1], "pixdim[" + (i + 1) + "]", what);
            }
            qformAffine(raw, a, what);
        } else {
            for (int i = 0; i < Math.min(3, dim[0]); i++) {
                finite(pixdim[i + 1], "pixdim[" + (i + 1) + "]", what);
            }
            fallbackAffine(a);
        }
        return a;
    }

    private static double finite(double value, String field, String what) {
        if (!Double.isFinite(value)) {
            throw new BrainfmException(what, field + " = " + value + ": must be finite");
        }
        return value;
    }

    private void qformAffine(Raw raw, double[][] a, String what) {
        double b = raw.quatern[0];
        double c = raw.quatern[1];
        double d = raw.quatern[2];
        double w2 = 1 - (b * b + c * c + d * d);
        if (w2 < -QUATERNION_SLACK || Double.isNaN(w2)) {
            throw new BrainfmException(what, "quatern_b, quatern_c, quatern_d = " + number(b) + ", " + number(c)
                    + ", " + number(d) + ": not a unit quaternion (b^2 + c^2 + d^2 > 1)");
        }
        double w = w2 < 0 ? 0 : Math.sqrt(w2);
        double[][] rot = {
            {w * w + b * b - c * c - d * d, 2 * (b * c - w * d), 2 * (b * d + w * c)},
            {2 * (b * c + w * d), w * w + c * c - b * b - d * d, 2 * (c * d - w * b)},
            {2 * (b * d - w * c), 2 * (c * d + w * b), w * w + d * d - b * b - c * c},
        };
        double qfac = pixdim[0] == -1 ? -1 : 1;
        double[] zoom = {spatialZoom(0), spatialZoom(1), spatialZoom(2) * qfac};
        for (int r = 0; r < 3; r++) {
            for (int col = 0; col < 3; col++) {
                a[r][col] = rot[r][col] * zoom[col];
            }
            a[r][3] = raw.qoffset[r];
        }
    }

    /** No transform coded: nibabel's Analyze-style affine, x flipped, origin at the centre. */
    private void fallbackAffine(double[][] a) {
        for (int i = 0; i < 3; i++) {
            boolean present = i < dim[0];
            double zoom = present ? spatialZoom(i) : 1;
            double size = present ? dim[i + 1] : 1;
            if (i == 0) {
                zoom = -zoom;
            }
            a[i][i] = zoom;
            a[i][3] = -(size - 1) / 2.0 * zoom;
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** "nifti1" or "nifti2". */
    public String format() {
        return format;
    }

    public ByteOrder byteOrder() {
        return byteOrder;
    }

    public NiftiDatatype datatype() {
        return datatype;
    }

    /** dim[0..7] as stored. */
    public long[] dim() {
        return dim.clone();
    }

    /** pixdim[0..7] as stored (pixdim[0] is qfac). */
    public double[] pixdim() {
        return pixdim.clone();
    }

    /** Byte offset of the voxel data in the (uncompressed) file. */
    public long voxOffset() {
        return voxOffset;
    }

    public double sclSlope() {
        return sclSlope;
    }

    public double sclInter() {
        return sclInter;
    }

    /** Whether voxel values are scaled: like nibabel, a slope of 0 or not finite means no scaling. */
    public boolean scaled() {
        return sclSlope != 0 && Double.isFinite(sclSlope) && !(sclSlope == 1 && sclInter == 0);
    }

    public int qformCode() {
        return qformCode;
    }

    public int sformCode() {
        return sformCode;
    }

    /** The image shape: x, y, z and, for more than one frame, t. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of voxels in the shape (Long.MAX_VALUE when that overflows). */
    public long voxels() {
        long n = 1;
        for (int s : shape) {
            n = n > Long.MAX_VALUE / s ? Long.MAX_VALUE : n * s;
        }
        return n;
    }

    /** Voxel size per axis of {@link #shape()} as nibabel's get_zooms reports it (pixdim[1..]). */
    public double[] spacing() {
        return spacing.clone();
    }

    /** The voxel-to-world affine (4x4) chosen as nibabel's get_best_affine chooses it. */
    public double[][] affine() {
        return Volume.copy(affine);
    }

    @Override
    public String toString() {
        return format + " " + datatype.label() + " " + Arrays.toString(shape);
    }
}
