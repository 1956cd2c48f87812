package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.FailureMessage;
import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.Metadata;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.spi.DatagramHandler;
import io.pulse.spi.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real-time runtime over an in-memory network: threads, queues and clean shutdown. */
class PulseNodeTest {

    private static final PulseConfig FAST = PulseConfig.local().toBuilder()
            .probeInterval(Duration.ofMillis(100)).probeTimeout(Duration.ofMillis(50))
            .probeTimeoutMin(Duration.ofMillis(10)).suspicionMultiplier(2)
            .gossipInterval(Duration.ofMillis(20)).pushPullInterval(Duration.ofSeconds(2))
            .directMonitorThreshold(0).build();

    private final MemoryTransport.Net net = new MemoryTransport.Net();
    private final List<PulseNode> nodes = new ArrayList<>();

    private static Identifier id(int i) {
        return Identifier.parse("127.0.0.1:" + (9000 + i));
    }

    private PulseNode node(int i, Role role) {
        PulseNode n = PulseNode.builder(net.open(id(i))).config(FAST).role(role).seed(i).start();
        nodes.add(n);
        return n;
    }

    @AfterEach
    void closeAll() {
        nodes.forEach(PulseNode::close);
    }

    /** Waits for a condition; generous, because CI machines are shared and slow. Never asserts a duration. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void threeNodesJoinDetectACrashAndReportItOncePerSurvivor() throws Exception {
        PulseNode a = node(0, Role.FULL);
        PulseNode b = node(1, Role.FULL);
        PulseNode c = node(2, Role.FULL);
        List<MembershipEvent> seenByA = new CopyOnWriteArrayList<>();
        a.subscribe(seenByA::add);
        assertEquals(1, b.join(List.of(a.localAddress())).toCompletableFuture().get(30, TimeUnit.SECONDS));
        c.join(List.of(a.localAddress())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        await("everyone sees everyone", () -> a.members().size() == 3 && b.members().size() == 3
                && c.members().size() == 3);
        c.close();
        await("the crash is detected", () -> a.status(id(2)).map(s -> s.state() == State.DEAD).orElse(false)
                && b.status(id(2)).map(s -> s.state() == State.DEAD).orElse(false));
        Optional<FailureMessage> fm = a.failures().poll(Duration.ofSeconds(10));
        assertTrue(fm.isPresent());
        assertEquals(id(2), fm.get().id());
        assertTrue(a.failures().poll().isEmpty(), "exactly once");
        await("the subscriber heard it", () -> seenByA.stream().anyMatch(e -> e instanceof MembershipEvent.Failed));
        assertTrue(a.status(id(1)).orElseThrow().rtt().isPresent(), "RTT measured");
    }

    @Test
    void aSlowSubscriberNeverStallsTheProtocol() throws Exception {
        PulseNode a = node(0, Role.FULL);
        PulseNode b = node(1, Role.FULL);
        a.subscribe(e -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        b.join(List.of(a.localAddress())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        await("membership converges while the subscriber sleeps", () -> a.members().size() == 2);
        b.updateMetadata(Metadata.ofUtf8("zone=x"));
        await("metadata spreads", () -> a.status(id(1)).orElseThrow().metadata().asUtf8().equals("zone=x"));
    }

    @Test
    void aGracefulLeaveIsNeverAFailure() throws Exception {
        PulseNode a = node(0, Role.FULL);
        PulseNode b = node(1, Role.FULL);
        b.join(List.of(a.localAddress())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        await("joined", () -> a.members().size() == 2);
        b.leave(Duration.ofSeconds(5));
        b.close();
        await("left", () -> a.status(id(1)).orElseThrow().state() == State.LEFT);
        Thread.sleep(500);
        assertTrue(a.failures().poll().isEmpty());
    }

    @Test
    void aCoordinatorMonitorsPulsersAndTheFeedCountsWhatItDrops() throws Exception {
        PulseNode coord = node(0, Role.COORDINATOR);
        PulseNode p1 = node(1, Role.PULSER);
        node(2, Role.PULSER);
        coord.addPulser(id(1), 2, Duration.ofMillis(50));
        coord.addPulser(id(2), 2, Duration.ofMillis(50));
        await("first contact", () -> coord.statusAll().stream().allMatch(s -> s.state() == State.ALIVE)
                && coord.statusAll().size() == 2);
        p1.stopPulseResponses();
        assertFalse(p1.isRespondingToPulses());
        FailureMessage fm = coord.failures().poll(Duration.ofSeconds(30)).orElseThrow();
        assertEquals(id(1), fm.id());
        assertEquals(2, fm.retryAttempts());
        assertEquals(List.of(id(2)), fm.gossipPulse(), "the only other member was asked");
        assertTrue(coord.removePulser(id(1)));
        assertFalse(coord.removePulser(id(1)));
        assertEquals(1, coord.statusAll().size());
    }

    @Test
    void closeReleasesEverythingAndCanBeCalledTwice() throws Exception {
        PulseNode a = node(0, Role.FULL);
        a.subscribe(e -> { });
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, a::members);
        await("threads are gone", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("pulse-loop-9000") || t.getName().equals("pulse-events-9000")));
    }

    @Test
    void misuseIsRefusedAtTheBoundaryNamingTheValue() {
        PulseNode coord = node(0, Role.COORDINATOR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> coord.addPulser(id(1), 256, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("maxRetry must be in [0, 255], was 256"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> coord.join(List.of(id(1))));
        assertTrue(s.getMessage().contains("join needs a FULL node"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> coord.addPulser(id(1), 1, Duration.ZERO));
    }

    @Test
    void aSubscribersDeliveryThreadRunsOnlyWhileThereIsSomethingToDeliver() throws Exception {
        PulseNode a = node(0, Role.FULL);
        PulseNode b = node(1, Role.FULL);
        PulseNode c = node(2, Role.FULL);
        List<MembershipEvent> seen = new CopyOnWriteArrayList<>();
        a.subscribe(seen::add);
        assertFalse(deliveryThreadOf(0), "no thread before the first event");
        b.join(List.of(a.localAddress())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        await("a hears b join", () -> seen.stream().anyMatch(e -> e.member().equals(id(1))));
        await("the idle delivery thread ends", () -> !deliveryThreadOf(0));
        c.join(List.of(a.localAddress())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        await("a new one delivers the next event", () -> seen.stream().anyMatch(e -> e.member().equals(id(2))));
    }

    private static boolean deliveryThreadOf(int i) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("pulse-events-" + (9000 + i)));
    }

    /**
     * A send that blocks holds the machine: the datagrams that come meanwhile wait in the pooled buffers, then the
     * I/O thread waits for the machine; none is lost, and no more buffers are made than the pool holds.
     */
    @Test
    void datagramsThatFindTheMachineBusyWaitInPooledBuffersAndAreAllHandled() throws Exception {
        HandTransport t = new HandTransport(id(0));
        PulseNode a = PulseNode.builder(t).config(FAST).seed(0).start();
        nodes.add(a);
        t.closeGate();
        Thread joiner = new Thread(() -> a.join(List.of(id(99))), "joiner");
        joiner.start();
        assertTrue(t.sending.await(60, TimeUnit.SECONDS), "the join request reached the transport");
        int datagrams = 20;
        Thread io = new Thread(() -> {
            for (int i = 0; i < datagrams; i++) {
                t.deliver(id(98), ByteBuffer.wrap(garbage(i)));
            }
        }, "hand-io");
        io.start();
        await("the I/O thread waits for the machine, every pooled buffer queued",
                () -> io.getState() == Thread.State.WAITING);
        t.openGate();
        io.join();
        joiner.join();
        java.util.Map<String, Long> c = a.counters();
        assertEquals(datagrams, c.get("datagramsIn"), "every datagram reached the protocol: " + c);
        assertTrue(c.get("datagramsQueued") >= 8, "queued: " + c);
        assertTrue(c.get("datagramsWaited") >= 1, "waited: " + c);
        assertEquals(8L, c.get("receiveBuffersAllocated"), "no buffer beyond the pool: " + c);
        assertEquals(0L, c.get("loopErrors"));
    }

    private static byte[] garbage(int i) {
        byte[] b = new byte[64];
        java.util.Arrays.fill(b, (byte) ('a' + i % 26));
        return b;
    }

    /** A transport driven by the test: it delivers on the caller's thread, and its sends can be held. */
    private static final class HandTransport implements Transport {
        private final Identifier id;
        private volatile DatagramHandler handler;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch sending = new CountDownLatch(1);

        HandTransport(Identifier id) {
            this.id = id;
        }

        void closeGate() {
            gate = new CountDownLatch(1);
        }

        void openGate() {
            gate.countDown();
        }

        void deliver(Identifier from, ByteBuffer datagram) {
            handler.onDatagram(from, datagram);
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
            CountDownLatch g = gate;
            if (g.getCount() > 0) {
                sending.countDown();
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        }

        @Override
        public void close() {
            openGate();
        }
    }
}
