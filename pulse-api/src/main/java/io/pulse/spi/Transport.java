package io.pulse.spi;

import io.pulse.api.Identifier;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

/**
 * Moves datagrams between pulse nodes: UDP sockets in production, a simulated network in tests and research.
 *
 * <p>Datagrams are best effort: they may be lost, duplicated or reordered, and the protocol copes. Sending never
 * blocks; a datagram that cannot be sent at once is dropped and counted by the transport.
 *
 * <p>Lifecycle: open (by a {@link TransportProvider}), {@link #start(DatagramHandler)} once, any number of
 * {@link #send}s, {@link #close()} (idempotent). Thread-safe: {@code send} may be called from any thread.
 */
public interface Transport extends AutoCloseable {

    /** The address this transport receives on, as peers should address it. */
    Identifier localAddress();

    /**
     * Starts delivering received datagrams to {@code handler}, on one thread at a time.
     *
     * @throws IllegalStateException if already started or closed
     */
    void start(DatagramHandler handler);

    /**
     * Sends one datagram without blocking.
     *
     * @param to      the destination
     * @param payload the bytes between position and limit; read during the call only (the caller may reuse the
     *                buffer afterwards); the position is left where it was
     * @return {@code true} if the datagram was handed to the network, {@code false} if it was dropped locally (a
     *         full buffer, a closed transport, an oversized payload), which the transport counts
     */
    boolean send(Identifier to, ByteBuffer payload);

    /** The largest payload {@link #send} accepts, in bytes. */
    default int maxPayloadBytes() {
        return 65_507;
    }

    /**
     * The clock of a transport that owns time (a simulated network); empty for a transport on the real network,
     * whose node keeps time itself. When present, the node's runtime must run every protocol step as a task of
     * this clock and never read the wall clock.
     */
    default Optional<TransportClock> clock() {
        return Optional.empty();
    }

    /**
     * A snapshot of the transport's counters, by name: at least {@code datagramsSent}, {@code bytesSent},
     * {@code datagramsReceived}, {@code bytesReceived}, and one {@code dropped.<reason>} entry per reason the
     * transport drops datagrams for (for example {@code dropped.sendBufferFull}, {@code dropped.failedToOpen}).
     * Names are stable; a transport documents the ones it adds. The default reports nothing.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /** Stops delivery and releases the transport's threads and sockets. Idempotent. */
    @Override
    void close();
}
