package dev.esae.data;

/**
 * The eight shapes of the dataset (SPEC §1). None is invariant under a 90° rotation: six have four
 * distinct orientations, two (the bar and the diagonal line) are symmetric under 180° and so have
 * two. The shape id in the labels is {@link #ordinal()}.
 */
public enum ShapeKind {
    TRIANGLE(4),
    L_SHAPE(4),
    T_SHAPE(4),
    ARROW(4),
    HALF_DISC(4),
    WEDGE(4),
    BAR(2),
    DIAGONAL(2);

    private final int orbitSize;

    ShapeKind(int orbitSize) {
        this.orbitSize = orbitSize;
    }

    /** The number of distinct orientations (the orbit size under 90° rotations). */
    public int orbitSize() {
        return orbitSize;
    }

    /** The shape with label id {@code id}. */
    public static ShapeKind of(int id) {
        return values()[id];
    }

    /** Number of shapes. */
    public static int count() {
        return values().length;
    }
}
