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

    /** A clock-owned endpoint whose next {@code failures} sends throw, as a broken transport's might. */
    private static final class FailingSends implements Transport {
        private final Transport inner;
        int failures;

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
}
