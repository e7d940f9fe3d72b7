package org.brainfm.volume;

/** The NIfTI datatypes brainfm reads; the writer takes FLOAT32, INT16 and UINT8. */
public enum NiftiDatatype {
    UINT8(2, 8, "uint8"),
    INT16(4, 16, "int16"),
    INT32(8, 32, "int32"),
    FLOAT32(16, 32, "float32"),
    FLOAT64(64, 64, "float64"),
    INT8(256, 8, "int8"),
    UINT16(512, 16, "uint16");

    private final int code;
    private final int bitpix;
    private final String label;

    NiftiDatatype(int code, int bitpix, String label) {
        this.code = code;
        this.bitpix = bitpix;
        this.label = label;
    }

    /** The NIfTI {@code datatype} header code. */
    public int code() {
        return code;
    }

    public int bitpix() {
        return bitpix;
    }

    public int bytes() {
        return bitpix / 8;
    }

    /** The numpy-style name that {@code inspect} prints. */
    public String label() {
        return label;
    }

    /** The datatype of a header code, or null when brainfm does not read it. */
    public static NiftiDatatype ofCode(int code) {
        for (NiftiDatatype d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        return null;
    }
}
