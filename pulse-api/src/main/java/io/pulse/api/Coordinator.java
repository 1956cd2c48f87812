package io.pulse.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A node that monitors a set of pulsers directly: the Go package's {@code Coordinator}.
 *
 * <p>For each pulser added with {@link #addPulser}, the coordinator sends a pulse every {@code delay}. When one goes
 * unanswered it retries up to {@code maxRetry} times, spacing the retries by the measured round-trip time; when
 * those fail too it asks up to three other members (the Go package's {@code PickThree}) to pulse the target; if
 * none of them hears it either, the target is declared {@link State#DEAD} and a {@link FailureMessage} naming those
 * members goes to {@link #failures()}.
 *
 * <p>Thread-safe: any thread may call any method.
 */
public interface Coordinator extends AutoCloseable {

    /**
     * Adds a pulser to the monitor list (the Go package's {@code AddPulser}). If monitoring is running (see
     * {@link #startAllPulsers()}), pulses start at once. Adding a member already monitored replaces its settings.
     *
     * @param pulser   the member to monitor
     * @param maxRetry direct retries after a missed pulse before indirect pulses are tried, 0 to 255
     * @param delay    the time between pulses, at least 1 ms
     * @throws IllegalArgumentException naming the bad value and its accepted range
     */
    void addPulser(Identifier pulser, int maxRetry, Duration delay);

    /**
     * Removes a pulser from the monitor list and stops pulsing it (the Go package's {@code RemovePulser}).
     *
     * @return whether it was being monitored
     */
    boolean removePulser(Identifier pulser);

    /** Starts pulsing every member on the monitor list (the Go package's {@code StartAllPulser}). Idempotent. */
    void startAllPulsers();

    /** Stops pulsing every member; the list is kept (the Go package's {@code StopAllPulser}). Idempotent. */
    void stopAllPulsers();

    /** What this node knows of one member now; empty if it knows nothing of it. */
    Optional<Status> status(Identifier id);

    /** What this node knows of every member it knows of now, ordered by identifier. */
    List<Status> statusAll();

    /** The bounded stream of failure notifications. */
    FailureFeed failures();

    /** Stops the node and releases its threads and sockets. Safe to call more than once. */
    @Override
    void close();
}
