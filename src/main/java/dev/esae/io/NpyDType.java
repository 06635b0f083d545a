package dev.esae.io;

import java.util.Locale;

/** The element types esae reads and writes in {@code .npy} files (always little-endian). */
public enum NpyDType {
    UINT8("|u1", 1, "uint8"),
    INT32("<i4", 4, "int32"),
    FLOAT32("<f4", 4, "float32"),
    FLOAT64("<f8", 8, "float64");

    private final String descr;
    private final int itemSize;
    private final String numpyName;

    NpyDType(String descr, int itemSize, String numpyName) {
        this.descr = descr;
        this.itemSize = itemSize;
        this.numpyName = numpyName;
    }

    /** The numpy {@code descr} string written into headers, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The numpy name, e.g. {@code float32}. */
    public String numpyName() {
        return numpyName;
    }

    /**
     * The dtype for a header's {@code descr}, or {@code null} if esae does not handle it.
     * Single-byte types may be written with any byte-order mark.
     */
    static NpyDType fromDescr(String descr) {
        String d = descr.toLowerCase(Locale.ROOT);
        for (NpyDType t : values()) {
            if (t.descr.equals(d)) {
                return t;
            }
        }
        if (d.equals("<u1") || d.equals(">u1") || d.equals("=u1") || d.equals("u1")) {
            return UINT8;
        }
        return null;
    }

    /** The names of all supported dtypes, for error messages. */
    static String supportedList() {
        StringBuilder sb = new StringBuilder();
        for (NpyDType t : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(t.numpyName);
        }
        return sb.toString();
    }
}
