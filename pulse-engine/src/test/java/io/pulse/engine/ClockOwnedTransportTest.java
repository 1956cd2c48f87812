package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.spi.DatagramHandler;
import io.pulse.spi.Transport;
import io.pulse.spi.TransportClock;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * A transport that owns time (as a simulated network does): PulseNode must start no thread, run every input on
 * the clock's thread and use the clock's timers, so that a run is a pure function of its inputs.
 */
class ClockOwnedTransportTest {

    /** A hand-moved clock: tasks run in (deadline, order) when the test advances time. */
    static final class ManualClock implements TransportClock {
        private record Task(long at, long seq, Runnable run, boolean[] cancelled) {
        }

        private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at
                ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        private long now = 1_000_000L;
        private long seq;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Cancellable schedule(long deadlineNs, Runnable task) {
            boolean[] cancelled = {false};
            tasks.add(new Task(Math.max(deadlineNs, now), seq++, task, cancelled));
            return () -> cancelled[0] = true;
        }

        void advanceTo(long t) {
            while (!tasks.isEmpty() && tasks.peek().at <= t) {
                Task task = tasks.poll();
                now = task.at;
                if (!task.cancelled[0]) {
                    task.run.run();
                }
            }
            now = t;
        }
    }

    /** Endpoints on a clock-owned network: a datagram arrives 1 ms after it is sent, on the clock's thread. */
    static final class ClockNet {
        final ManualClock clock = new ManualClock();
        final Map<Identifier, Endpoint> endpoints = new HashMap<>();

        Endpoint open(Identifier id) {
            Endpoint e = new Endpoint(id);
            endpoints.put(id, e);
            return e;
        }

        final class Endpoint implements Transport {
            final Identifier id;
            DatagramHandler handler;
            boolean closed;

            Endpoint(Identifier id) {
                this.id = id;
            }

            @Override
            public Identifier localAddress() {
                return id;
            }

            @Override
            public void start(DatagramHandler h) {
                handler = h;
            }

            @Override
            public boolean send(Identifier to, ByteBuffer payload) {
                Endpoint peer = endpoints.get(to);
                if (closed || peer == null) {
                    return false;
                }
                byte[] copy = new byte[payload.remaining()];
                payload.get(payload.position(), copy);
                clock.schedule(clock.nanoTime() + 1_000_000L, () -> {
                    if (!peer.closed && peer.handler != null) {
                        peer.handler.onDatagram(id, ByteBuffer.wrap(copy));
                    }
                });
                return true;
            }

            @Override
            public Optional<TransportClock> clock() {
                return Optional.of(clock);
            }

            @Override
            public void close() {
                closed = true;
            }
        }
    }

    private static Identifier id(int i) {
        return Identifier.parse("10.1.0." + i + ":7946");
    }

    @Test
    void nodesOnAClockOwnedNetworkRunOnItsClockAlone() throws Exception {
        long threadsBefore = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pulse-loop")).count();
        ClockNet net = new ClockNet();
        PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
        List<PulseNode> nodes = new ArrayList<>();
        List<MembershipEvent> events = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            nodes.add(PulseNode.builder(net.open(id(i))).config(config).seed(i)
                    .epoch(Instant.parse("2026-01-01T00:00:00Z")).start());
        }
        assertEquals(threadsBefore, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pulse-loop")).count(), "no event-loop thread started");
        for (int i = 1; i < 4; i++) {
            nodes.get(i).join(List.of(id(1)));
        }
        long s = 1_000_000_000L;
        net.clock.advanceTo(10 * s);
        for (PulseNode n : nodes) {
            assertEquals(4, n.members().size(), n + " sees everyone after 10 virtual seconds");
        }
        // crash node 4 silently: its transport stops delivering and sending
        ((ClockNet.Endpoint) net.endpoints.get(id(4))).closed = true;
        nodes.get(3).close();
        net.clock.advanceTo(60 * s);
        for (int i = 0; i < 3; i++) {
            assertEquals(State.DEAD, nodes.get(i).status(id(4)).orElseThrow().state(), "node " + (i + 1));
            assertTrue(nodes.get(i).failures().poll().isPresent(), "a FailureMessage at node " + (i + 1));
        }
    }
}
