package io.pulse.engine;

import io.pulse.api.Identifier;
import io.pulse.spi.DatagramHandler;
import io.pulse.spi.Transport;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory transport for runtime tests: each endpoint delivers on a single thread of its own. */
final class MemoryTransport implements Transport {

    /** The shared "network". */
    static final class Net {
        final Map<Identifier, MemoryTransport> endpoints = new ConcurrentHashMap<>();

        MemoryTransport open(Identifier id) {
            MemoryTransport t = new MemoryTransport(this, id);
            endpoints.put(id, t);
            return t;
        }
    }

    private final Net net;
    private final Identifier id;
    private final ExecutorService delivery;
    private final AtomicLong sent = new AtomicLong();
    private volatile DatagramHandler handler;
    private volatile boolean closed;

    private MemoryTransport(Net net, Identifier id) {
        this.net = net;
        this.id = id;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memory-transport-" + id.port());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Identifier localAddress() {
        return id;
    }

    @Override
    public void start(DatagramHandler h) {
        this.handler = h;
    }

    @Override
    public boolean send(Identifier to, ByteBuffer payload) {
        MemoryTransport peer = net.endpoints.get(to);
        if (closed || peer == null || peer.closed) {
            return false;
        }
        byte[] copy = new byte[payload.remaining()];
        payload.get(payload.position(), copy);
        sent.incrementAndGet();
        peer.delivery.execute(() -> {
            DatagramHandler h = peer.handler;
            if (h != null && !peer.closed) {
                h.onDatagram(id, ByteBuffer.wrap(copy));
            }
        });
        return true;
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("datagramsSent", sent.get());
    }

    @Override
    public void close() {
        closed = true;
        net.endpoints.remove(id);
        delivery.shutdownNow();
    }

    boolean isClosed() {
        return closed;
    }
}
