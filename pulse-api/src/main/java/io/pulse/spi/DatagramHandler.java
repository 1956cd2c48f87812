package io.pulse.spi;

import io.pulse.api.Identifier;
import java.nio.ByteBuffer;

/** Receives the datagrams a {@link Transport} reads. */
@FunctionalInterface
public interface DatagramHandler {

    /**
     * Handles one datagram. Called by one thread at a time (the transport's I/O thread, or the simulator's).
     *
     * @param from    the sender's address
     * @param payload the datagram's bytes between position and limit; valid only during this call (the transport
     *                reuses the buffer), so copy what must be kept
     */
    void onDatagram(Identifier from, ByteBuffer payload);
}
