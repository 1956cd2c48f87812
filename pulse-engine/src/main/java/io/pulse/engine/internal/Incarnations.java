package io.pulse.engine.internal;

/**
 * Incarnation arithmetic: incarnations are 31-bit serial numbers (RFC 1982 arithmetic modulo 2^31), so that no
 * value is a ceiling and every accusation, whatever incarnation it claims, can be answered with one that every
 * member takes as newer.
 *
 * <p>{@code a} is newer than {@code b} when {@code (a - b) mod 2^31} lies in [1, 2^30 - 1]: at most half the space
 * ahead. The two values exactly half the space apart are incomparable: neither is newer, so neither replaces the
 * other. Every incarnation a node handles is in [0, 2^31 - 1]; a negative one on the wire is malformed.
 *
 * <p>The rule that no single input defeats: a member that hears itself accused at {@code heard} either holds an
 * incarnation newer than {@code heard}, and re-announces it (every member that took {@code heard} takes it over
 * {@code heard}, by the same test), or it moves to {@link #next}{@code (heard)}, which is newer than {@code heard}.
 * An honest cluster moves an incarnation by one per refutation or metadata change, so the wrap is reached only by
 * forged input; 2^30 refutations would take 34 years at one a second.
 */
public final class Incarnations {

    private Incarnations() {
    }

    /** One more than the largest incarnation: values live in [0, MODULUS). */
    public static final long MODULUS = 1L << 31;
    private static final int MASK = 0x7fffffff;
    private static final int HALF = 1 << 30;

    /** Whether {@code a} is newer than {@code b} (both in [0, 2^31)). */
    public static boolean newer(int a, int b) {
        int d = (a - b) & MASK;
        return d != 0 && d < HALF;
    }

    /** The incarnation after {@code inc}: {@code (inc + 1) mod 2^31}. */
    public static int next(int inc) {
        return (inc + 1) & MASK;
    }

    /**
     * The incarnation a member at {@code own} moves to when accused at {@code heard}: one past the newer of the two
     * (one past {@code heard} when they are incomparable), which is newer than both wherever they are comparable.
     */
    public static int refutation(int own, int heard) {
        return next(newer(own, heard) ? own : heard);
    }
}
