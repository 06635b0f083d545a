package dev.esae.probe;

/**
 * One binary probing task of SPEC §5: does the image (as the model saw it, after its rotation)
 * contain {@code shape}, optionally in {@code position} and/or {@code orientation} (-1: any)?
 */
public record ProbeTask(Group group, int shape, int position, int orientation) implements ProbingTask {
    /** The four task groups: shape, shape+orientation, shape+position, shape+position+orientation. */
    public enum Group { S, SO, SP, SPO }

    @Override
    public String groupName() {
        return group.name();
    }

    /** A stable name such as {@code SPO(s3,q1,o2)}. */
    @Override
    public String name() {
        StringBuilder sb = new StringBuilder(group.name()).append("(s").append(shape);
        if (position >= 0) {
            sb.append(",q").append(position);
        }
        if (orientation >= 0) {
            sb.append(",o").append(orientation);
        }
        return sb.append(')').toString();
    }

    /** Whether one image's labels {@code [4][2]} (shape, orientation per quadrant) make this task positive. */
    public boolean positive(int[] labels) {
        for (int q = 0; q < 4; q++) {
            if (labels[2 * q] == shape && (position < 0 || position == q) && (orientation < 0 || labels[2 * q + 1] == orientation)) {
                return true;
            }
        }
        return false;
    }
}
