package io.pulse.engine;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A few {@link ProtocolNode}s wired together by hand: a loss-free network with a fixed one-way delay, a clock moved
 * by the test, every frame and event captured. Frames to an address that is no node's are kept in {@link #strays},
 * so that a test can see what a node sends to a spoofed or unknown address. No threads, no sockets, no wall clock.
 */
final class HandWired {

    static final long MS = 1_000_000L;
    static final long DELAY_NS = MS;

    /** One frame a node sent. */
    record Sent(int from, Identifier to, byte[] bytes) {
    }

    private record Delivery(long atNs, long seq, int to, Identifier source, byte[] bytes) {
    }

    final Identifier[] ids;
    final ProtocolNode[] nodes;
    final List<List<MembershipEvent>> events = new ArrayList<>();
    /** Frames sent so far, by every node. */
    long datagrams;
    /** Beyond this many datagrams the network drops everything, rather than exhaust the heap (a storm). */
    long datagramBudget = 1_000_000;
    /** When the budget ran out, or -1. */
    long stormAtNs = -1;
    final List<Sent> strays = new ArrayList<>();
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>((a, b) -> a.atNs != b.atNs
            ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
    private final boolean[] crashed;
    private long seq;
    long nowNs;

    /** {@code n} full nodes at 10.0.0.1:7946, 10.0.0.2:7946, ..., each knowing every other, started at time 0. */
    HandWired(int n, PulseConfig config, long seed) {
        ids = new Identifier[n];
        nodes = new ProtocolNode[n];
        crashed = new boolean[n];
        for (int i = 0; i < n; i++) {
            ids[i] = id(i + 1);
        }
        SplittableRandom master = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int self = i;
            List<MembershipEvent> mine = new ArrayList<>();
            events.add(mine);
            Effects effects = new Effects() {
                @Override
                public void send(Identifier to, ByteBuffer frame) {
                    byte[] bytes = new byte[frame.remaining()];
                    frame.get(frame.position(), bytes);
                    Sent s = new Sent(self, to, bytes);
                    if (++datagrams > datagramBudget) {
                        stormAtNs = stormAtNs < 0 ? nowNs : stormAtNs;
                        return;
                    }
                    int t = indexOf(to);
                    if (t < 0) {
                        strays.add(s);
                    } else {
                        inFlight.add(new Delivery(nowNs + DELAY_NS, seq++, t, ids[self], bytes));
                    }
                }

                @Override
                public void publish(MembershipEvent event) {
                    mine.add(event);
                }
            };
            nodes[i] = new ProtocolNode(ids[i], config, Role.FULL, master.split(), effects, Instant.EPOCH, 1400,
                    Interner.NONE);
        }
        for (int i = 0; i < n; i++) {
            nodes[i].bootstrap(0, Arrays.asList(ids));
            nodes[i].start(0);
        }
    }

    /** The address 10.0.0.{@code host}:7946. */
    static Identifier id(int host) {
        return Identifier.of(new byte[] {10, 0, 0, (byte) host}, 7946);
    }

    int indexOf(Identifier id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Node {@code i} stops: it neither receives nor runs timers again. */
    void crash(int i) {
        crashed[i] = true;
    }

    /** Hands {@code bytes} to node {@code to} now, as if a datagram came from {@code source}. */
    void inject(int to, Identifier source, byte[] bytes) {
        deliver(to, source, bytes);
    }

    /** Runs every delivery and timer up to {@code untilNs}, in time order. */
    void runUntil(long untilNs) {
        while (true) {
            long next = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().atNs;
            int timerNode = -1;
            for (int i = 0; i < nodes.length; i++) {
                long d = crashed[i] ? Long.MAX_VALUE : nodes[i].nextDeadlineNs();
                if (d < next) {
                    next = d;
                    timerNode = i;
                }
            }
            if (next > untilNs) {
                nowNs = untilNs;
                return;
            }
            nowNs = Math.max(nowNs, next);
            if (timerNode >= 0) {
                nodes[timerNode].onTimers(nowNs);
            } else {
                Delivery d = inFlight.poll();
                deliver(d.to, d.source, d.bytes);
            }
        }
    }

    private void deliver(int to, Identifier source, byte[] bytes) {
        if (!crashed[to]) {
            nodes[to].onDatagram(nowNs, source, ByteBuffer.wrap(bytes));
        }
    }
}
