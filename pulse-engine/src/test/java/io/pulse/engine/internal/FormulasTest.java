package io.pulse.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FormulasTest {

    private static final long S = 1_000_000_000L;

    @ParameterizedTest(name = "mult {0}, n {1} -> {2}")
    @CsvSource({"4, 1, 4", "4, 9, 4", "4, 10, 8", "4, 99, 8", "4, 100, 12", "4, 1000, 16", "2, 5, 2", "3, 10000, 15"})
    void retransmitLimitIsMultTimesCeilLog10(int mult, int n, int expected) {
        assertEquals(expected, Formulas.retransmitLimit(mult, n));
    }

    @ParameterizedTest(name = "mult {0}, n {1} -> {2} ms")
    @CsvSource({"4, 1, 4000", "4, 5, 4000", "4, 10, 4000", "4, 100, 8000", "4, 1000, 12000", "5, 10000, 20000"})
    void suspicionMinimumScalesWithLog10N(int mult, int n, long expectedMs) {
        assertEquals(expectedMs * 1_000_000L, Formulas.suspicionMinNs(mult, n, S));
    }

    @ParameterizedTest(name = "c {2} of k {3}")
    @CsvSource({
            // min, max, c, k, expected (ms): max - (max-min)*ln(c+1)/ln(k+1)
            "8000, 48000, 0, 3, 48000",
            "8000, 48000, 1, 3, 28000",
            "8000, 48000, 2, 3, 16300",
            "8000, 48000, 3, 3, 8000",
            "8000, 48000, 5, 3, 8000",
            "2000, 12000, 0, 0, 2000",
            "2000, 12000, 1, 1, 2000",
    })
    void suspicionTimeoutShrinksWithConfirmations(long minMs, long maxMs, int c, int k, long expectedMs) {
        long t = Formulas.suspicionTimeoutNs(minMs * 1_000_000L, maxMs * 1_000_000L, c, k);
        assertEquals(expectedMs, Math.round(t / 1e6 / 100) * 100, "timeout ms " + t / 1e6);
    }

    @Test
    void suspicionTimeoutNeverGoesBelowTheMinimumNorAboveTheMaximum() {
        for (int k = 0; k < 10; k++) {
            long previous = Long.MAX_VALUE;
            for (int c = 0; c < 15; c++) {
                long t = Formulas.suspicionTimeoutNs(4 * S, 24 * S, c, k);
                assertTrue(t >= 4 * S && t <= 24 * S);
                assertTrue(t <= previous, "monotone in confirmations");
                previous = t;
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"4, 100, 2", "4, 3, 1", "4, 2, 0", "2, 100, 0", "6, 1000, 4"})
    void expectedConfirmations(int mult, int n, int k) {
        assertEquals(k, Formulas.expectedConfirmations(mult, n));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 4.0, 100, 500, 500",        // nothing measured: the maximum
            "1000, 4.0, 100, 500, 100",     // 4 ms wanted: clamped up to the minimum
            "50000, 4.0, 100, 500, 200",    // 50 ms p99 x 4
            "200000, 4.0, 100, 500, 500",   // clamped down to the maximum
    })
    void adaptiveProbeTimeout(long p99Us, double mult, long minMs, long maxMs, long expectedMs) {
        assertEquals(expectedMs * 1_000_000L, Formulas.probeTimeoutNs(p99Us * 1000, mult, minMs * 1_000_000L,
                maxMs * 1_000_000L));
    }

    @ParameterizedTest
    @CsvSource({"32, 1", "33, 2", "64, 2", "65, 3", "1000, 6", "10000, 10"})
    void pushPullStretchesBeyond32Members(int n, long factor) {
        assertEquals(30 * S * factor, Formulas.pushPullIntervalNs(30 * S, n));
    }
}
