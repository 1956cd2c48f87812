package io.pulse.api;

/**
 * A node that answers pulses: the Go package's {@code Pulser}.
 *
 * <p>A pulser binds its transport when it is built; it answers pulses (pings) from the moment
 * {@link #startPulseResponses()} is called until {@link #stopPulseResponses()} or {@link #close()}. While stopped it
 * stays bound but answers nothing, so monitors will see it fail.
 *
 * <p>Thread-safe: any thread may call any method.
 */
public interface Pulser extends AutoCloseable {

    /** The address this node answers on. */
    Identifier localAddress();

    /** Starts answering pulses (the Go package's {@code StartPulseRes}). Idempotent. */
    void startPulseResponses();

    /** Stops answering pulses (the Go package's {@code StopPulseRes}). Idempotent. */
    void stopPulseResponses();

    /** Whether pulses are being answered now. */
    boolean isRespondingToPulses();

    /**
     * Stops the node and releases its threads and sockets. Safe to call more than once; after it, other methods
     * throw {@link IllegalStateException}.
     */
    @Override
    void close();
}
