package io.pulse.api;

import java.time.Duration;
import java.util.Optional;

/**
 * The bounded stream of {@link FailureMessage}s of a coordinator: the channel the Go package's
 * {@code Initialize(capacity)} returned.
 *
 * <p>The feed holds at most {@link #capacity()} messages. When it is full, the <b>newest</b> message is dropped
 * and counted in {@link #dropped()}: the protocol never waits for a reader. A dropped message is lost only from
 * this feed: the member's state in {@link Coordinator#status} and the events delivered to subscribers are
 * unaffected.
 *
 * <p>Thread-safe: any number of threads may read.
 */
public interface FailureFeed {

    /** The next message if one is waiting. */
    Optional<FailureMessage> poll();

    /** The next message, waiting up to {@code timeout} for one. */
    Optional<FailureMessage> poll(Duration timeout) throws InterruptedException;

    /** The next message, waiting as long as it takes. */
    FailureMessage take() throws InterruptedException;

    /** How many messages the feed holds at most. */
    int capacity();

    /** How many messages were dropped because the feed was full. */
    long dropped();
}
