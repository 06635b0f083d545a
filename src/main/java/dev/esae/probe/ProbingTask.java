package dev.esae.probe;

/**
 * A binary probing task as results and summaries see it: a name unique in its suite and the group
 * its mean is reported in. The 180 shapes tasks ({@link ProbeTask}) and a user's own
 * ({@link CustomTask}, from {@code probe --tasks}) are both probed the same way.
 */
public interface ProbingTask {
    /** The task's name, as results.csv writes it. */
    String name();

    /** The group whose mean F1 the summary reports it in (S, SO, SP, SPO; or invariant / orientation). */
    String groupName();
}
