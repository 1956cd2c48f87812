package io.pulse.engine.internal;

/**
 * The protocol's arithmetic, apart from its mechanism: pure static functions, each tested on its own.
 */
public final class Formulas {

    private Formulas() {
    }

    /**
     * How many times one membership update is piggybacked: multiplier × ceil(log10(n + 1)), at least 1. At the
     * largest configuration (multiplier 100, 4,194,304 members) that is 700, which the member table's 16-bit
     * transmit counters hold.
     *
     * @param retransmitMultiplier the configured multiplier
     * @param members              the cluster size as this node sees it
     */
    public static int retransmitLimit(int retransmitMultiplier, int members) {
        int scale = (int) Math.ceil(Math.log10(members + 1.0));
        return Math.max(1, retransmitMultiplier * Math.max(1, scale));
    }

    /** Lifeguard's minimum suspicion timeout: multiplier × max(1, log10 n) × interval, in nanoseconds. */
    public static long suspicionMinNs(int suspicionMultiplier, int members, long probeIntervalNs) {
        double scale = Math.max(1.0, Math.log10(Math.max(1, members)));
        return (long) (suspicionMultiplier * scale * probeIntervalNs);
    }

    /**
     * Lifeguard's dynamic suspicion timeout: it starts at {@code maxNs} and shrinks toward {@code minNs} as
     * independent confirmations arrive, by max − (max − min) · ln(c + 1) / ln(k + 1), never below the minimum.
     *
     * @param confirmations independent members that confirmed the suspicion (c)
     * @param expected      the confirmations expected (k); with k = 0 the timeout is the minimum
     */
    public static long suspicionTimeoutNs(long minNs, long maxNs, int confirmations, int expected) {
        if (expected <= 0) {
            return minNs;
        }
        double frac = Math.log(confirmations + 1.0) / Math.log(expected + 1.0);
        long t = (long) Math.floor(maxNs - (maxNs - minNs) * frac);
        return Math.max(minNs, t);
    }

    /**
     * Confirmations a suspicion waits for (k): the suspicion multiplier − 2, but no more than the members that
     * could confirm (n − 2: neither the suspect nor the first accuser), and never below 0.
     */
    public static int expectedConfirmations(int suspicionMultiplier, int members) {
        return Math.max(0, Math.min(suspicionMultiplier - 2, members - 2));
    }

    /**
     * The adaptive probe timeout: the 99th-percentile round trip times a multiplier, clamped to [min, max]; with
     * no measurement yet, the maximum.
     */
    public static long probeTimeoutNs(long rttP99Ns, double multiplier, long minNs, long maxNs) {
        if (rttP99Ns <= 0) {
            return maxNs;
        }
        double t = rttP99Ns * multiplier;
        return t >= maxNs ? maxNs : Math.max(minNs, (long) t);
    }

    /**
     * The push-pull interval, stretched for large clusters so that full-state transfer costs stay bounded: the
     * base interval up to 32 members, then × (ceil(log2 n − log2 32) + 1).
     */
    public static long pushPullIntervalNs(long baseNs, int members) {
        if (members <= 32) {
            return baseNs;
        }
        double over = Math.log(members) / Math.log(2) - 5.0;
        return baseNs * ((long) Math.ceil(over) + 1);
    }

    /** A duration multiplied by Lifeguard's local health factor (score + 1). */
    public static long scaledByHealth(long ns, int healthScore) {
        return ns * (healthScore + 1L);
    }
}
