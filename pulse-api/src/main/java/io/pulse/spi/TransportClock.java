package io.pulse.spi;

/**
 * Time and a task queue owned by a transport: a simulated network's virtual clock.
 *
 * <p>Every task and every datagram delivery runs on the same thread, one at a time, in timestamp order; a task
 * scheduled for a time already past runs next. Implementations are not thread-safe unless they say so: only code
 * already running on the clock's thread may call them.
 */
public interface TransportClock {

    /** The current time in nanoseconds; only differences between two readings mean anything. */
    long nanoTime();

    /**
     * Runs {@code task} on the clock's thread once {@link #nanoTime()} reaches {@code deadlineNs}.
     *
     * @return a handle whose {@link Cancellable#cancel()} stops the task if it has not run yet
     */
    Cancellable schedule(long deadlineNs, Runnable task);

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Stops the task if it has not run yet; does nothing otherwise. */
        void cancel();
    }
}
