package dev.esae.compute.check;

import dev.esae.compute.Backend;
import java.util.SplittableRandom;

/**
 * The base of the self-test's check families ({@link DenseChecks}, {@link RowChecks},
 * {@link ImageChecks}): the run's recorder, and its backend and random stream at hand.
 */
abstract class CheckFamily {
    final CheckRecorder rec;
    final Backend backend;
    final SplittableRandom rng;

    CheckFamily(CheckRecorder rec) {
        this.rec = rec;
        this.backend = rec.backend;
        this.rng = rec.rng;
    }
}
