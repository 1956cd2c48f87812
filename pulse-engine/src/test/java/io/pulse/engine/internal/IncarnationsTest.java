package io.pulse.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IncarnationsTest {

    private static final int MAX = Integer.MAX_VALUE;
    private static final int HALF = 1 << 30;

    @ParameterizedTest(name = "{0} newer than {1}: {2}")
    @CsvSource({
            "1, 0, true", "0, 1, false", "5, 5, false",
            "0, 2147483647, true", // past the top of the space, around the circle
            "2147483647, 0, false",
            "1073741823, 0, true", // 2^30 - 1 ahead: the farthest that is still newer
            "1073741824, 0, false", "0, 1073741824, false", // exactly half the space apart: incomparable
            "1073741825, 0, false", "0, 1073741825, true",
    })
    void newerIsAtMostHalfTheSpaceAhead(int a, int b, boolean expected) {
        assertEquals(expected, Incarnations.newer(a, b));
    }

    @Test
    void nextNeverLeavesTheSpace() {
        assertEquals(0, Incarnations.next(MAX));
        assertEquals(1, Incarnations.next(0));
        assertTrue(Incarnations.newer(Incarnations.next(MAX), MAX));
    }

    @ParameterizedTest(name = "own {0}, heard {1} -> {2}")
    @CsvSource({
            "0, 0, 1", "3, 7, 8", "7, 3, 8",
            "1073741824, 2147483647, 0", // heard is newer: the refutation wraps to 0, newer than 2^31 - 1
            "0, 2147483647, 1", // own (0) is one past what was heard (2^31 - 1), so newer: one past own
            "2147483647, 0, 1", // heard (0) is one past own: one past heard
            "0, 1073741824, 1073741825", // incomparable: one past what was heard
    })
    void refutationIsOnePastTheNewer(int own, int heard, int expected) {
        assertEquals(expected, Incarnations.refutation(own, heard));
    }

    @Test
    void everyAccusationCanBeAnswered() {
        // whatever own and heard are, the member ends with an incarnation that the accusation's holders take over it
        int[] values = {0, 1, 2, HALF - 1, HALF, HALF + 1, MAX - 1, MAX};
        for (int own : values) {
            for (int heard : values) {
                int answer = Incarnations.newer(own, heard) ? own : Incarnations.refutation(own, heard);
                assertTrue(Incarnations.newer(answer, heard), "own " + own + ", heard " + heard + " -> " + answer);
                assertTrue(answer >= 0);
            }
        }
        assertFalse(Incarnations.newer(HALF, 0) || Incarnations.newer(0, HALF));
    }
}
