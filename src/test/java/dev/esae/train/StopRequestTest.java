package dev.esae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.esae.compute.Backend;
import dev.esae.testutil.TestBackends;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where {@link EpochLoop} honours a stop by a signal ({@link StopRequest#request}, as the signal
 * handler calls it): before the next batch, abandoning that epoch; or, for a request that came
 * after the last batch (while the last epoch was saved, when the request was told the loop would
 * stop), as the loop ends; and outside a loop the caller is told to exit itself.
 */
class StopRequestTest {
    private static final int EPOCHS = 3;
    private static final int COUNT = 8;
    private static final int BATCH = 4;

    @AfterEach
    void forgetTheRequest() {
        StopRequest.reset();
    }

    /** Runs the loop, calling {@code duringStep(steps run before it)} in each step and {@code afterEpoch(epochs done)} after each epoch. */
    private static void loop(List<Integer> saved, java.util.function.IntConsumer duringStep, java.util.function.IntConsumer afterEpoch)
            throws Exception {
        Backend backend = TestBackends.cpu();
        int[] steps = new int[1];
        EpochLoop.run(backend, 1, EPOCHS, COUNT, BATCH, new LossHistory(COUNT), new TrainingListener() {}, "the test loop", () -> "",
                () -> "the checkpoint after epoch " + saved.size() + " is kept",
                (indices, size, rng, lossSum) -> duringStep.accept(steps[0]++),
                (history, ran) -> {
                    saved.add(history.epochs());
                    afterEpoch.accept(history.epochs());
                });
    }

    @Test
    void aStopInAnEpochAbandonsItBeforeTheNextBatch() {
        List<Integer> saved = new ArrayList<>();
        TrainingStopped stop = assertThrows(TrainingStopped.class, () -> loop(saved, step -> {
            // Two batches per epoch: step 2 is epoch 2's first batch, the stop comes before its second.
            if (step == 2) {
                assertTrue(StopRequest.request(StopRequest.Signal.TERM), "a loop is running: it will stop");
            }
        }, done -> {}));
        assertEquals(List.of(1), saved, "epoch 2 is abandoned, only epoch 1 was saved");
        assertEquals(StopRequest.Signal.TERM, stop.signal());
        assertEquals("stopped by SIGTERM in epoch 2 of 3 (the test loop), which is abandoned; the checkpoint after epoch 1 is kept",
                stop.getMessage());
    }

    @Test
    void aStopWhileTheLastEpochIsSavedIsHonouredAsTheLoopEnds() {
        List<Integer> saved = new ArrayList<>();
        TrainingStopped stop = assertThrows(TrainingStopped.class, () -> loop(saved, step -> {}, done -> {
            if (done == EPOCHS) {
                assertTrue(StopRequest.request(StopRequest.Signal.INT), "the loop is still open: it will stop");
            }
        }));
        assertEquals(List.of(1, 2, 3), saved, "every epoch was saved");
        assertEquals(StopRequest.Signal.INT, stop.signal());
        assertEquals("stopped by SIGINT after the last of 3 epochs (the test loop); the checkpoint after epoch 3 is kept", stop.getMessage());
    }

    @Test
    void outsideALoopTheCallerIsToldToExitItselfAndASecondRequestToo() throws Exception {
        List<Integer> saved = new ArrayList<>();
        loop(saved, step -> {}, done -> {});
        assertEquals(List.of(1, 2, 3), saved);
        assertFalse(StopRequest.request(StopRequest.Signal.TERM), "no loop runs: exit now");
        assertFalse(StopRequest.request(StopRequest.Signal.INT), "a second request: exit now");
        assertEquals(StopRequest.Signal.TERM, StopRequest.requested(), "the first signal is the one recorded");
    }
}
