package dev.esae.probe;

/**
 * A user's own task ({@code probe --tasks FILE.csv}): its column name and its group,
 * {@link #INVARIANT} when its label is the same in every orientation of each input, else
 * {@link #ORIENTATION}.
 */
public record CustomTask(String name, String groupName) implements ProbingTask {
    /** The group of tasks whose label does not change when the input is rotated. */
    public static final String INVARIANT = "invariant";
    /** The group of tasks whose label depends on the orientation the input is seen in. */
    public static final String ORIENTATION = "orientation";
}
