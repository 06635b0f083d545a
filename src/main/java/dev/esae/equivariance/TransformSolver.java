package dev.esae.equivariance;

import java.util.Locale;

/** How M is fitted: {@link #ADAM}, mini-batch through every power (the paper's procedure), or {@link #LBFGS}, full batch on the same loss. */
public enum TransformSolver {
    ADAM,
    LBFGS;

    /** The name on the command line and in r2.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** loss.csv's first column: Adam's rows are epochs, L-BFGS's iterations. */
    public String lossColumn() {
        return this == ADAM ? "epoch" : "iteration";
    }
}
