package io.pulse.engine.internal;

/**
 * Lifeguard's local health score: how much this node distrusts its own timeliness. Failed probes, missing nacks
 * and having to refute a suspicion of itself raise it; successful probes lower it. The node multiplies its probe
 * interval and probe timeout by {@code score + 1}, so a starved node slows down instead of accusing healthy peers.
 *
 * <p>Not thread-safe: only the node's event loop calls this.
 */
public final class LocalHealth {

    private final int max;
    private final boolean enabled;
    private int score;

    /**
     * @param max     the highest score (the configured cap)
     * @param enabled when false the score stays 0 (for measurements with Lifeguard off)
     */
    public LocalHealth(int max, boolean enabled) {
        this.max = max;
        this.enabled = enabled;
    }

    /** Adds {@code delta} (negative to lower), keeping the score in [0, max]. */
    public void apply(int delta) {
        if (enabled) {
            score = Math.max(0, Math.min(max, score + delta));
        }
    }

    /** The current score, 0 when healthy. */
    public int score() {
        return score;
    }

    /** {@code ns} stretched by the current score. */
    public long scale(long ns) {
        return Formulas.scaledByHealth(ns, score);
    }
}
