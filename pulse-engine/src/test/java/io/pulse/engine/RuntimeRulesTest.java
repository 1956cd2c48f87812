package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.spi.DatagramHandler;
import io.pulse.spi.Transport;
import io.pulse.spi.TransportClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's promises to the code that embeds it: user callbacks never run inside the state machine nor on the
 * I/O thread; {@code close()} returns from any thread, a callback's included; a timer handler that throws is
 * counted, logged once, and stops nothing for good; a join that no seed answers fails after
 * {@link PulseConfig#joinTimeoutNs()}, naming the seeds. Waits on real threads use generous bounds and never assert
 * a duration; the timing rules run in virtual time.
 */
class RuntimeRulesTest {

    /** How long a test waits for another thread before it calls the wait a failure; never a measured duration. */
    private static final long GENEROUS_S = 20;
    private static final long S = 1_000_000_000L;

    private static final PulseConfig FAST = PulseConfig.local().toBuilder()
            .probeInterval(Duration.ofMillis(100)).probeTimeout(Duration.ofMillis(50))
            .probeTimeoutMin(Duration.ofMillis(10)).gossipInterval(Duration.ofMillis(20))
            .joinRetryInitial(Duration.ofMillis(20)).directMonitorThreshold(0).build();

    private final List<PulseNode> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        nodes.forEach(PulseNode::close);
    }

    private static Identifier id(int i) {
        return Identifier.parse("127.0.0.1:" + (9100 + i));
    }

    private PulseNode node(Transport t, PulseConfig config, Role role, int seed) {
        PulseNode n = PulseNode.builder(t).config(config).role(role).seed(seed)
                .epoch(Instant.parse("2026-01-01T00:00:00Z")).start();
        nodes.add(n);
        return n;
    }

    /** Where a callback ran: its thread, and whether it ran with the machine held or inside a protocol input. */
    private record Where(String thread, boolean machineHeld, boolean insideProtocol) {
        static Where here(PulseNode node) {
            boolean inside = StackWalker.getInstance().walk(frames -> frames
                    .anyMatch(f -> f.getClassName().equals(ProtocolNode.class.getName())));
            return new Where(Thread.currentThread().getName(), node.machineHeldByCurrentThread(), inside);
        }

        void assertOffTheMachine(String what) {
            assertFalse(machineHeld, what + " ran with the machine held, on " + thread);
            assertFalse(insideProtocol, what + " ran inside a protocol input, on " + thread);
            assertFalse(thread.startsWith("memory-transport-"), what + " ran on the I/O thread " + thread);
            assertFalse(thread.startsWith("pulse-loop-"), what + " ran on the event loop " + thread);
        }
    }

    @Test
    void userCallbacksRunOffTheMachineAndOffTheIoThread() throws Exception {
        MemoryTransport.Net net = new MemoryTransport.Net();
        PulseNode b = node(net.open(id(1)), FAST, Role.FULL, 1);
        List<Where> events = new CopyOnWriteArrayList<>();
        CountDownLatch heardA = new CountDownLatch(1);
        b.subscribe(e -> {
            events.add(Where.here(b));
            heardA.countDown();
        });
        CompletableFuture<Where> continuation = new CompletableFuture<>();
        // the seed is not up yet: the continuation is attached before any answer can complete the join
        b.join(List.of(id(0))).thenRun(() -> continuation.complete(Where.here(b)));
        node(net.open(id(0)), FAST, Role.FULL, 0);
        continuation.get(GENEROUS_S, TimeUnit.SECONDS).assertOffTheMachine("a join continuation");
        assertTrue(heardA.await(GENEROUS_S, TimeUnit.SECONDS), "b heard a join");
        events.get(0).assertOffTheMachine("a subscriber");
    }

    @Test
    void inVirtualTimeAJoinContinuationRunsAfterTheInputThatCompletedItNotInsideIt() {
        ClockOwnedTransportTest.ClockNet net = new ClockOwnedTransportTest.ClockNet();
        PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
        node(net.open(id(0)), config, Role.FULL, 0);
        PulseNode b = node(net.open(id(1)), config, Role.FULL, 1);
        List<Where> where = new ArrayList<>();
        b.join(List.of(id(0))).thenRun(() -> where.add(Where.here(b)));
        net.clock.advanceTo(net.clock.nanoTime() + S);
        assertEquals(1, where.size(), "the join completed within a virtual second");
        assertFalse(where.get(0).insideProtocol(), "the continuation ran inside a protocol input");
        assertFalse(where.get(0).machineHeld(), "the continuation ran with the machine held");
    }

    /**
     * A transport whose {@code close()} waits for its I/O thread unless called from it, as UDP's does: a close that
     * waits for a thread the machine holder keeps busy would never return.
     */
    private static MemoryTransport.Net udpLikeNet() {
        return new MemoryTransport.Net(true);
    }

    @Test
    void closeReturnsFromASubscriberCallback() throws Exception {
        MemoryTransport.Net net = udpLikeNet();
        PulseNode a = node(net.open(id(0)), FAST, Role.FULL, 0);
        PulseNode b = node(net.open(id(1)), FAST, Role.FULL, 1);
        CountDownLatch closed = new CountDownLatch(1);
        a.subscribe(e -> {
            a.close();
            closed.countDown();
        });
        b.join(List.of(id(0)));
        assertTrue(closed.await(GENEROUS_S, TimeUnit.SECONDS), "close() returned inside the subscriber");
    }

    @Test
    void closeReturnsFromAJoinContinuationAndFromAnyThreadTheContinuationWaitsFor() throws Exception {
        MemoryTransport.Net net = udpLikeNet();
        node(net.open(id(0)), FAST, Role.FULL, 0);
        PulseNode b = node(net.open(id(1)), FAST, Role.FULL, 1);
        PulseNode c = node(net.open(id(2)), FAST, Role.FULL, 2);
        CountDownLatch bClosed = new CountDownLatch(1);
        CountDownLatch cClosed = new CountDownLatch(1);
        // b closes itself in its continuation; c's continuation has another thread close c, and waits for it
        b.join(List.of(id(0))).thenRun(() -> {
            b.close();
            bClosed.countDown();
        });
        c.join(List.of(id(0))).thenRun(() -> {
            Thread closer = new Thread(() -> {
                c.close();
                cClosed.countDown();
            }, "closer");
            closer.start();
            try {
                cClosed.await(GENEROUS_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(bClosed.await(GENEROUS_S, TimeUnit.SECONDS), "close() returned inside the join continuation");
        assertTrue(cClosed.await(GENEROUS_S, TimeUnit.SECONDS),
                "close() on another thread returned while the join continuation waited for it");
    }

    /** A transport whose next {@code failures} sends throw, as a broken transport's might. */
    private static final class FailingSends implements Transport {
        private final Transport inner;
        volatile int failures; // only the machine holder sends

        FailingSends(Transport inner) {
            this.inner = inner;
        }

        @Override
        public Identifier localAddress() {
            return inner.localAddress();
        }

        @Override
        public void start(DatagramHandler h) {
            inner.start(h);
        }

        @Override
        public boolean send(Identifier to, ByteBuffer payload) {
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("test: the transport refused to send");
            }
            return inner.send(to, payload);
        }

        @Override
        public Optional<TransportClock> clock() {
            return inner.clock();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** A System.Logger that keeps what it is given. */
    private static final class CapturingLogger implements System.Logger {
        final List<String> records = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            records.add(level + " " + msg);
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            records.add(level + " " + java.text.MessageFormat.format(format, params));
        }

        long atLeast(Level level) {
            return records.stream().filter(r -> Level.valueOf(r.substring(0, r.indexOf(' '))).getSeverity()
                    >= level.getSeverity()).count();
        }
    }

    @Test
    void aTimerHandlerThatThrowsIsCountedLoggedOnceAndMonitoringGoesOn() {
        CapturingLogger log = new CapturingLogger();
        {
            ClockOwnedTransportTest.ClockNet net = new ClockOwnedTransportTest.ClockNet();
            PulseConfig config = PulseConfig.lan();
            FailingSends t = new FailingSends(net.open(id(0)));
            PulseNode coord = PulseNode.builder(t).config(config).role(Role.COORDINATOR).seed(0).logger(log)
                    .epoch(Instant.parse("2026-01-01T00:00:00Z")).start();
            nodes.add(coord);
            node(net.open(id(1)), config, Role.PULSER, 1);
            t.failures = 3;
            coord.addPulser(id(1), 2, Duration.ofSeconds(1));
            List<Throwable> escaped = new ArrayList<>();
            long end = net.clock.nanoTime() + 10 * S;
            while (net.clock.nanoTime() < end) {
                try {
                    net.clock.advanceTo(end);
                } catch (RuntimeException e) {
                    escaped.add(e); // the old runtime let it out to the clock's thread; go on to see what stops
                }
            }
            assertEquals(List.of(), escaped, "nothing escapes to the clock's thread");
            Map<String, Long> c = coord.counters();
            assertEquals(3L, c.get("timerErrors"), "every throw counted: " + c);
            assertEquals(State.ALIVE, coord.status(id(1)).orElseThrow().state(),
                    "the pulser was reached once sends worked again: monitoring went on");
            assertTrue(c.get("probesSent") > 3, "monitoring went on: " + c);
            assertEquals(1, log.atLeast(System.Logger.Level.WARNING), "logged once: " + log.records);
        }
    }

    @Test
    void onTheLoopTooAThrowingTimerHandlerIsCountedLoggedOnceAndMonitoringGoesOn() throws Exception {
        CapturingLogger log = new CapturingLogger();
        MemoryTransport.Net net = new MemoryTransport.Net();
        FailingSends t = new FailingSends(net.open(id(0)));
        t.failures = 3;
        PulseNode coord = PulseNode.builder(t).config(FAST).role(Role.COORDINATOR).seed(0).logger(log).start();
        nodes.add(coord);
        node(net.open(id(1)), FAST, Role.PULSER, 1);
        coord.addPulser(id(1), 2, Duration.ofMillis(50));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_S);
        while (coord.status(id(1)).map(st -> st.state() != State.ALIVE).orElse(true)) {
            assertTrue(System.nanoTime() < deadline, "the pulser was reached once sends worked again: "
                    + coord.counters());
            Thread.sleep(10);
        }
        Map<String, Long> c = coord.counters();
        assertEquals(3L, c.get("timerErrors"), "every throw counted: " + c);
        assertEquals(1, log.atLeast(System.Logger.Level.WARNING), "logged once: " + log.records);
    }

    @Test
    void aJoinNoSeedAnswersFailsAfterTheJoinTimeoutNamingTheSeeds() throws Exception {
        ClockOwnedTransportTest.ClockNet net = new ClockOwnedTransportTest.ClockNet();
        PulseConfig config = PulseConfig.lan();
        long timeoutNs = config.joinTimeoutNs();
        PulseNode b = node(net.open(id(1)), config, Role.FULL, 1);
        long start = net.clock.nanoTime();
        CompletableFuture<Integer> f = b.join(List.of(id(7), id(8))).toCompletableFuture();
        net.clock.advanceTo(start + timeoutNs - 1);
        assertFalse(f.isDone(), "still waiting one nanosecond before the timeout");
        net.clock.advanceTo(start + timeoutNs);
        assertTrue(f.isCompletedExceptionally(), "failed at the timeout, " + timeoutNs / S + " virtual s");
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
        TimeoutException cause = assertInstanceOf(TimeoutException.class, e.getCause());
        assertNotNull(cause.getMessage());
        assertTrue(cause.getMessage().contains(id(7).toString()) && cause.getMessage().contains(id(8).toString())
                && cause.getMessage().contains("30s"), cause.getMessage());
        // the node goes on asking: a seed that comes up later still brings it in
        node(net.open(id(7)), config, Role.FULL, 7);
        net.clock.advanceTo(start + timeoutNs + 30 * S);
        assertEquals(2, b.members().size(), "joined once a seed came up");
    }

    @Test
    void aJoinCalledAgainEndsTheFutureOfTheOneItReplaces() {
        ClockOwnedTransportTest.ClockNet net = new ClockOwnedTransportTest.ClockNet();
        PulseNode b = node(net.open(id(1)), PulseConfig.lan(), Role.FULL, 1);
        CompletableFuture<Integer> first = b.join(List.of(id(7))).toCompletableFuture();
        CompletableFuture<Integer> second = b.join(List.of(id(8))).toCompletableFuture();
        net.clock.advanceTo(net.clock.nanoTime() + S);
        assertTrue(first.isCancelled(), "the replaced join's future ended: " + first);
        assertFalse(second.isDone(), "the new join still waits for its seed");
    }
}
