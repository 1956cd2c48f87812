package io.pulse.transport.sim;

import io.pulse.api.Identifier;
import io.pulse.spi.DatagramHandler;
import io.pulse.spi.Transport;
import io.pulse.spi.TransportClock;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One address on a {@link SimNetwork}: the transport named {@code "sim"}. It owns no thread and no socket; its
 * {@link #clock()} is the network's virtual clock, so a node built over it runs entirely on the network's thread.
 *
 * <p>Sending copies the datagram and hands it to the network, which loses, delays, duplicates or reorders it as
 * its model says. Received datagrams reach the handler on the network's thread while the network runs.
 * {@link #close()} unbinds the address at once: datagrams still in flight to it are lost (or reach a transport
 * opened later on the same address, as a restarted process would receive them), and nothing more is sent. Closing
 * the node closes its transport, so closing a node is a silent crash.
 *
 * <p>Not thread-safe, unlike a UDP transport: every method must be called on the network's thread (see
 * {@link SimNetwork}); {@link #send} from another thread throws {@link IllegalStateException}.
 *
 * <p>Counters: {@code datagramsSent}, {@code bytesSent}, {@code datagramsReceived}, {@code bytesReceived},
 * {@code dropped.closed} (sent after close), {@code dropped.oversized} (more than {@link #maxPayloadBytes()}),
 * {@code dropped.notStarted} (arrived before {@link #start}).
 */
public final class SimTransport implements Transport {

    private final SimNetwork network;
    private final Identifier address;
    private final int ordinal;
    private DatagramHandler handler;
    private boolean closed;
    private long datagramsSent;
    private long bytesSent;
    private long datagramsReceived;
    private long bytesReceived;
    private long droppedClosed;
    private long droppedOversized;
    private long droppedNotStarted;

    SimTransport(SimNetwork network, Identifier address, int ordinal) {
        this.network = network;
        this.address = address;
        this.ordinal = ordinal;
    }

    /** The network this transport is bound on. */
    public SimNetwork network() {
        return network;
    }

    /** The order in which this transport was opened on its network, from 0 (part of the run's digest). */
    int ordinal() {
        return ordinal;
    }

    @Override
    public Identifier localAddress() {
        return address;
    }

    @Override
    public void start(DatagramHandler h) {
        network.checkThread();
        Objects.requireNonNull(h, "handler");
        if (closed) {
            throw new IllegalStateException("transport " + address + " is closed");
        }
        if (handler != null) {
            throw new IllegalStateException("transport " + address + " is already started");
        }
        handler = h;
    }

    @Override
    public boolean send(Identifier to, ByteBuffer payload) {
        network.checkThread();
        Objects.requireNonNull(to, "to");
        int n = payload.remaining();
        if (closed) {
            droppedClosed++;
            return false;
        }
        if (n > maxPayloadBytes()) {
            droppedOversized++;
            return false;
        }
        byte[] copy = new byte[n];
        payload.get(payload.position(), copy);
        datagramsSent++;
        bytesSent += n;
        network.transmit(this, to, copy);
        return true;
    }

    /** Delivers one datagram; {@code false} if it was dropped here. */
    boolean receive(Identifier from, byte[] bytes) {
        if (handler == null) {
            droppedNotStarted++;
            return false;
        }
        datagramsReceived++;
        bytesReceived += bytes.length;
        handler.onDatagram(from, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
        return true;
    }

    @Override
    public Optional<TransportClock> clock() {
        return Optional.of(network.clock());
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("datagramsSent", datagramsSent);
        m.put("bytesSent", bytesSent);
        m.put("datagramsReceived", datagramsReceived);
        m.put("bytesReceived", bytesReceived);
        m.put("dropped.closed", droppedClosed);
        m.put("dropped.oversized", droppedOversized);
        m.put("dropped.notStarted", droppedNotStarted);
        return m;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /** Unbinds the address; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        network.checkThread();
        closed = true;
        network.unbind(this);
    }

    @Override
    public String toString() {
        return "SimTransport[" + address + (closed ? ", closed" : "") + "]";
    }
}
