package io.pulse.it;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waiting for a condition on real processes: poll until it holds or a generous deadline passes. Deadlines are
 * bounds for a loaded 2-core machine, not expectations; a test never asserts how fast something happened.
 */
final class Await {

    /** The usual bound for a cluster to notice something (a death, a join, a refutation). */
    static final Duration CLUSTER = Duration.ofSeconds(90);

    private static final long POLL_MS = 250;

    private Await() {
    }

    /** A condition that also says what it last saw, for the failure message. */
    interface Probe {
        /** Null when the condition holds; otherwise what was observed instead. */
        String unmet() throws Exception;
    }

    /**
     * Polls {@code probe} until it returns null.
     *
     * @throws AssertionError naming {@code what}, the deadline and the last observation, if the deadline passes
     */
    static void until(String what, Duration deadline, Probe probe) {
        long end = System.nanoTime() + deadline.toNanos();
        String last = "never checked";
        while (true) {
            try {
                last = probe.unmet();
            } catch (Exception e) {
                last = "check failed: " + e;
            }
            if (last == null) {
                return;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + deadline.toSeconds() + " s: " + what + "; last seen: "
                        + last);
            }
            sleep(POLL_MS);
        }
    }

    /** Polls {@code value} until it is non-null and returns it. */
    static <T> T value(String what, Duration deadline, Supplier<T> value) {
        Object[] box = new Object[1];
        until(what, deadline, () -> {
            box[0] = value.get();
            return box[0] == null ? "nothing yet" : null;
        });
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
