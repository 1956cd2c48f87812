package io.pulse.api;

/**
 * A subscriber's registration; closing it stops delivery. Events already handed to the subscriber's thread may
 * still arrive once after {@link #close()} returns.
 */
public interface Subscription extends AutoCloseable {

    /** Stops delivery. Idempotent. */
    @Override
    void close();

    /** Events not delivered to this subscriber because it fell further behind than its buffer allows. */
    long dropped();
}
