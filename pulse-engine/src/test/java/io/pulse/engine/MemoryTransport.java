package io.pulse.engine;

import io.pulse.api.Identifier;
import io.pulse.spi.DatagramHandler;
import io.pulse.spi.Transport;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory transport for runtime tests: each endpoint delivers on a single thread of its own. On a network
 * built with {@code closeWaitsForDelivery}, {@link #close()} waits for that thread to finish the datagram it is
 * handling, unless called from it, without interrupting it: as UDP's close waits for its I/O thread.
 */
final class MemoryTransport implements Transport {

    /** The shared "network". */
    static final class Net {
        final Map<Identifier, MemoryTransport> endpoints = new ConcurrentHashMap<>();
        final boolean closeWaitsForDelivery;

        Net() {
            this(false);
        }

        Net(boolean closeWaitsForDelivery) {
            this.closeWaitsForDelivery = closeWaitsForDelivery;
        }

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
    private volatile Thread deliveryThread;

    private MemoryTransport(Net net, Identifier id) {
        this.net = net;
        this.id = id;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memory-transport-" + id.port());
            t.setDaemon(true);
            deliveryThread = t;
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
        try {
            peer.delivery.execute(() -> {
                DatagramHandler h = peer.handler;
                if (h != null && !peer.closed) {
                    h.onDatagram(id, ByteBuffer.wrap(copy));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return false; // the peer is closing
        }
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
        if (!net.closeWaitsForDelivery) {
            delivery.shutdownNow();
            return;
        }
        delivery.shutdown();
        if (Thread.currentThread() != deliveryThread) {
            try {
                delivery.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }
}
