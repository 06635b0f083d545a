package dev.esae.io;

import java.util.Locale;

/**
 * Element types of host arrays, with their names in the two file formats esae reads and writes:
 * numpy's {@code .npy} (always little-endian) and safetensors.
 */
public enum ElementType {
    UINT8("|u1", "U8", 1, "uint8"),
    INT32("<i4", "I32", 4, "int32"),
    INT64("<i8", "I64", 8, "int64"),
    FLOAT32("<f4", "F32", 4, "float32"),
    FLOAT64("<f8", "F64", 8, "float64");

    private final String descr;
    private final String safetensorsName;
    private final int itemSize;
    private final String numpyName;

    ElementType(String descr, String safetensorsName, int itemSize, String numpyName) {
        this.descr = descr;
        this.safetensorsName = safetensorsName;
        this.itemSize = itemSize;
        this.numpyName = numpyName;
    }

    /** The numpy {@code descr} string written into headers, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** The safetensors dtype name, e.g. {@code F32}. */
    public String safetensorsName() {
        return safetensorsName;
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
     * The type for a {@code .npy} header's {@code descr}, or {@code null} if esae does not handle
     * it. Single-byte types may be written with any byte-order mark.
     */
    static ElementType fromDescr(String descr) {
        String d = descr.toLowerCase(Locale.ROOT);
        for (ElementType t : values()) {
            if (t.descr.equals(d)) {
                return t;
            }
        }
        if (d.equals("<u1") || d.equals(">u1") || d.equals("=u1") || d.equals("u1")) {
            return UINT8;
        }
        return null;
    }

    /** The type for a safetensors dtype name, or {@code null} if esae does not handle it. */
    static ElementType fromSafetensors(String name) {
        for (ElementType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The numpy names of all types, for error messages. */
    static String supportedList() {
        StringBuilder sb = new StringBuilder();
        for (ElementType t : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(t.numpyName);
        }
        return sb.toString();
    }
}
