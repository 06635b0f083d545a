package dev.esae.probe;

/**
 * A probe trainer: fits a binary classifier to features and labels. Trainers hold only their
 * hyperparameters; what they return is an immutable {@link ProbeModel}.
 */
public interface Probe {
    /** The probe's name in results ({@code knn}, {@code logreg}, {@code xgboost}). */
    String name();

    /** Fits a model on {@code x} with labels {@code y}; both classes must be present. */
    ProbeModel fit(Features x, boolean[] y);
}
