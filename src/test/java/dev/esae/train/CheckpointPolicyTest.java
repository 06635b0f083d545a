package dev.esae.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CheckpointPolicyTest {
    @Test
    void savesEveryEpochByDefault() {
        for (int e = 1; e <= 5; e++) {
            assertTrue(CheckpointPolicy.EVERY_EPOCH.due(e, 5, 0));
        }
    }

    @Test
    void waitsForBothTheEpochCountAndTheSecondsButAlwaysSavesTheLastEpoch() {
        CheckpointPolicy p = new CheckpointPolicy(2, 30);
        assertFalse(p.due(1, 10, 100), "not an even epoch");
        assertFalse(p.due(2, 10, 29.9), "too soon");
        assertTrue(p.due(2, 10, 30));
        assertTrue(p.due(10, 10, 0), "the last epoch");
        assertTrue(p.due(9, 9, 0), "the last epoch, odd");
    }

    @Test
    void rejectsWhatCannotBeAPolicy() {
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new CheckpointPolicy(1, Double.NaN));
    }
}
