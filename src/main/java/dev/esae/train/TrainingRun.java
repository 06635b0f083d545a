package dev.esae.train;

import dev.esae.compute.Backend;
import dev.esae.nn.Adam;
import dev.esae.nn.Parameter;
import java.io.IOException;
import java.util.Map;

/**
 * Where a trainer's state goes between epochs. A trainer only trains: it hands its parameters and
 * optimiser here before the first epoch (to resume) and after each (to save); what is written,
 * and when, is the run's business ({@link RunFolder}), or nothing at all ({@link #NONE}, for
 * benchmarks and tests).
 */
public interface TrainingRun {
    /** A run that keeps nothing: every epoch starts from scratch, nothing is written. */
    TrainingRun NONE = new TrainingRun() {
        @Override
        public LossHistory start(Backend backend, Map<String, Parameter> params, Adam adam, LossHistory fresh) {
            return fresh;
        }

        @Override
        public void epochEnd(Backend backend, Map<String, Parameter> params, Adam adam, LossHistory history, boolean epochRan) {}

        @Override
        public String keptHint() {
            return "";
        }

        @Override
        public String stoppedHint() {
            return "this run keeps no checkpoint";
        }
    };

    /**
     * Before the first epoch: the history to continue. A resumed run loads the checkpoint into
     * {@code params} and {@code adam} (created as when it was written) and returns its history;
     * otherwise {@code fresh}.
     */
    LossHistory start(Backend backend, Map<String, Parameter> params, Adam adam, LossHistory fresh);

    /** After each epoch ({@code epochRan}), and once before the first epoch of a resumed run ({@link EpochLoop.EpochEnd}). */
    void epochEnd(Backend backend, Map<String, Parameter> params, Adam adam, LossHistory history, boolean epochRan) throws IOException;

    /** Appended to a divergence message: where the last good state is kept, or "". */
    String keptHint();

    /** What a stop by a signal keeps: the last checkpoint and where it is, or that there is none. */
    String stoppedHint();
}
