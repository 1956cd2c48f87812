package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.FailureMessage;
import io.pulse.api.Identifier;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.api.Status;
import io.pulse.engine.PulseNode;
import io.pulse.spi.Transport;
import io.pulse.spi.TransportOptions;
import io.pulse.spi.TransportProvider;
import io.pulse.spi.Transports;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The transport named {@code "sim"}: real {@link PulseNode}s, built through the public API over transports found
 * by name, run on a {@link SimNetwork} in virtual time. Every time asserted here is virtual.
 */
class SimTransportTest {

    private static final long S = 1_000_000_000L;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private static Identifier id(int i) {
        return Identifier.parse("10.0.0." + i + ":7946");
    }

    /** SWIM probing for every member (no direct monitoring), so the completeness bound below applies. */
    private static PulseConfig swim() {
        return PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
    }

    /** A cluster of real nodes on one simulated network, built as an application would. */
    private static final class Cluster {
        final SimNetwork net;
        final List<PulseNode> nodes = new ArrayList<>();

        Cluster(int n, long seed, PulseConfig config) throws Exception {
            TransportProvider provider = Transports.provider("sim");
            for (int i = 1; i <= n; i++) {
                Transport t = provider.open(TransportOptions.bind(id(i)).with("sim.seed", Long.toString(seed)));
                nodes.add(PulseNode.builder(t).config(config)
                        .seed(((SimTransport) t).network().seedFor(t.localAddress())).epoch(SimNetwork.EPOCH).start());
            }
            net = ((SimTransportProvider) provider).network(SimTransportProvider.DEFAULT_NETWORK).orElseThrow();
            for (int i = 1; i < n; i++) {
                nodes.get(i).join(List.of(id(1)));
            }
        }

        boolean everyoneSeesEveryone() {
            for (PulseNode node : nodes) {
                if (node.members().size() != nodes.size()) {
                    return false;
                }
            }
            return true;
        }

        boolean allDeclaredDead(int victim, List<PulseNode> observers) {
            for (PulseNode o : observers) {
                if (o.status(id(victim)).map(Status::state).orElse(State.ALIVE) != State.DEAD) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The completeness bound of {@link SimulationPropertiesTest#completenessBoundNs}, for n members. */
    private static long completenessBoundNs(PulseConfig c, int n) {
        int healthCap = c.localHealth() ? c.localHealthMax() : 0;
        double logN = Math.max(1.0, Math.log10(n));
        long suspicionMax = (long) (c.suspicionMaxTimeoutMultiplier() * c.suspicionMultiplier() * logN
                * c.probeIntervalNs());
        return (2L * n - 1) * c.probeIntervalNs() * (healthCap + 1) + suspicionMax + 2 * c.probeIntervalNs();
    }

    @Test
    void fiveNodesJoinAndDetectACrashedOneInVirtualTime() throws Exception {
        long loopsBefore = loopThreads();
        Cluster c = new Cluster(5, 7, swim());
        assertEquals(loopsBefore, loopThreads(), "a node on a simulated network starts no event-loop thread");

        assertTrue(c.net.runUntil(c::everyoneSeesEveryone, Duration.ofSeconds(10)), "joined within 10 virtual s");
        long joinedNs = c.net.nowNs();
        assertTrue(joinedNs <= 2 * S, "five nodes joined through one seed in " + joinedNs + " virtual ns");

        c.net.runFor(Duration.ofSeconds(20));
        long crashNs = c.net.nowNs();
        c.nodes.get(4).close(); // node 5 crashes silently: its transport is unbound, no leave is sent
        List<PulseNode> survivors = c.nodes.subList(0, 4);
        assertTrue(c.net.runUntil(() -> c.allDeclaredDead(5, survivors), LIMIT), "every survivor declared it DEAD");
        long detectedNs = c.net.nowNs() - crashNs;
        long bound = completenessBoundNs(swim(), 5);
        assertTrue(detectedNs <= bound, "every survivor knew after " + detectedNs / 1e9 + " virtual s; bound "
                + bound / 1e9 + " s");
        assertTrue(detectedNs >= swim().probeTimeoutNs(), "not before a probe could time out: " + detectedNs);
        for (PulseNode o : survivors) {
            Optional<FailureMessage> failure = o.failures().poll();
            assertTrue(failure.isPresent(), "a FailureMessage at " + o);
            assertEquals(id(5), failure.get().id());
            assertEquals(4, o.members().size(), o + " still counts every survivor");
        }
        assertEquals(loopsBefore, loopThreads());
        System.out.printf("SimTransportTest: 5 PulseNodes joined in %.2f virtual s; a crash was known to every "
                + "survivor after %.2f virtual s (bound %.0f s)%n", joinedNs / 1e9, detectedNs / 1e9, bound / 1e9);
        c.nodes.forEach(PulseNode::close);
    }

    /** What a run showed, at 100 ms resolution: every change of any node's view, in order, with its time. */
    private static List<String> observe(long seed) throws Exception {
        Cluster c = new Cluster(4, seed, swim());
        List<String> seen = new ArrayList<>();
        List<List<Status>> last = new ArrayList<>();
        c.nodes.forEach(n -> last.add(List.of()));
        for (long t = 100_000_000L; t <= 60 * S; t += 100_000_000L) {
            if (t == 20 * S) {
                c.nodes.get(3).close();
            }
            c.net.runUntil(t);
            for (int i = 0; i < 3; i++) {
                List<Status> now = c.nodes.get(i).statusAll();
                if (!views(now).equals(views(last.get(i)))) {
                    seen.add(t / 1_000_000L + " ms: node " + (i + 1) + " sees " + views(now));
                    last.set(i, now);
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            c.nodes.get(i).failures().poll().ifPresent(f -> seen.add("failure " + f));
        }
        seen.add("digest " + Long.toHexString(c.net.digest()) + ", delivered " + c.net.delivered() + ", events "
                + c.net.events());
        c.nodes.forEach(PulseNode::close);
        return seen;
    }

    private static List<String> views(List<Status> all) {
        List<String> out = new ArrayList<>();
        for (Status s : all) {
            out.add(s.id() + "=" + s.state() + "@" + s.incarnation());
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() throws Exception {
        List<String> first = observe(11);
        List<String> again = observe(11);
        assertEquals(first, again);
        assertTrue(first.stream().anyMatch(s -> s.contains("10.0.0.4:7946=DEAD")), "the crash was seen: " + first);
        List<String> other = observe(12);
        assertNotEquals(first.get(first.size() - 1), other.get(other.size() - 1), "another seed, another digest");
    }

    @Test
    void anUnknownTransportNameListsSimAndUdp() {
        assertEquals(List.of("sim", "udp"), Transports.available());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transports.provider("carrier-pigeon"));
        assertEquals("no transport named \"carrier-pigeon\"; available: sim, udp", e.getMessage());
        assertInstanceOf(SimTransportProvider.class, Transports.provider("sim"));
    }

    @Test
    void datagramsTakeTheModelledLatencyAndBlockedLinksLoseThem() {
        SimNetwork net = SimNetwork.builder().seed(3)
                .network(Simulation.Network.lan().withLatency(new Latency.Fixed(2_000_000))).build();
        SimTransport a = net.open(id(1));
        SimTransport b = net.open(id(2));
        List<String> got = new ArrayList<>();
        b.start((from, payload) -> got.add(net.nowNs() + " " + from + " " + payload.remaining()));
        a.start((from, payload) -> got.add("a got one"));
        assertTrue(a.send(id(2), ByteBuffer.wrap(new byte[] {1, 2, 3})));
        net.runFor(Duration.ofMillis(1));
        assertEquals(List.of(), got, "still in flight after 1 ms");
        net.runFor(Duration.ofMillis(5));
        assertEquals(List.of("2000000 10.0.0.1:7946 3"), got);
        assertEquals(6_000_000L, net.nowNs());

        net.block(id(1), id(2));
        a.send(id(2), ByteBuffer.wrap(new byte[] {4}));
        b.send(id(1), ByteBuffer.wrap(new byte[] {5}));
        net.runFor(Duration.ofMillis(10));
        assertEquals(List.of("2000000 10.0.0.1:7946 3", "a got one"), got, "one direction cut, the other open");
        assertEquals(1, net.lost());

        b.close();
        net.heal();
        a.send(id(2), ByteBuffer.wrap(new byte[] {6}));
        net.runFor(Duration.ofMillis(10));
        assertEquals(2, net.lost(), "nobody bound at the destination: lost");
        assertFalse(b.send(id(1), ByteBuffer.wrap(new byte[] {7})), "a closed transport sends nothing");
        assertEquals(1L, b.counters().get("dropped.closed"));
        assertEquals(3L, a.counters().get("datagramsSent"), "a lost datagram was still sent");
    }

    @Test
    void tasksRunInTimeThenSchedulingOrderAndCancelledOnesDoNot() {
        SimNetwork net = SimNetwork.builder().build();
        List<String> ran = new ArrayList<>();
        net.clock().schedule(5, () -> ran.add("b@" + net.nowNs()));
        net.clock().schedule(3, () -> ran.add("a@" + net.nowNs()));
        net.clock().schedule(5, () -> ran.add("c@" + net.nowNs()));
        net.clock().schedule(4, () -> ran.add("never")).cancel();
        net.runUntil(10);
        assertEquals(List.of("a@3", "b@5", "c@5"), ran);
        assertEquals(10, net.nowNs());
        net.clock().schedule(1, () -> ran.add("late@" + net.nowNs()));
        assertTrue(net.runUntil(() -> ran.size() == 4, Duration.ZERO.plusNanos(1)));
        assertEquals("late@10", ran.get(3), "a task for a past time runs next, at the current time");
    }

    @Test
    void theProviderReadsItsPropertiesAndRejectsBadOnesByName() throws Exception {
        TransportProvider p = Transports.provider("sim");
        Transport a = p.open(TransportOptions.bind(id(1)).with("sim.loss", "0.1").with("sim.latency", "fixed:3ms"));
        SimNetwork net = ((SimTransport) a).network();
        assertEquals(0.1, net.network().loss());
        assertEquals(new Latency.Fixed(3_000_000), net.network().latency());
        Transport b = p.open(TransportOptions.bind(id(2)));
        assertEquals(net, ((SimTransport) b).network(), "no properties: the same, default network");
        Transport other = p.open(TransportOptions.bind(id(1)).with("sim.network", "east"));
        assertNotEquals(net, ((SimTransport) other).network(), "another name, another network");
        assertEquals(List.of("default", "east"), ((SimTransportProvider) p).networkNames());

        Transport any = p.open(TransportOptions.bind(Identifier.parse("10.0.0.9:0")));
        assertEquals(Identifier.parse("10.0.0.9:49152"), any.localAddress(), "port 0: the first free port");
        assertEquals(Identifier.parse("10.0.0.9:49153"),
                p.open(TransportOptions.bind(Identifier.parse("10.0.0.9:0"))).localAddress());

        assertThrows(BindException.class, () -> p.open(TransportOptions.bind(id(1))));
        a.close();
        assertEquals(id(1), p.open(TransportOptions.bind(id(1))).localAddress(), "a closed address is free again");

        assertMessage("sim.loss must be a probability in [0, 1), was \"1.5\"",
                () -> p.open(TransportOptions.bind(id(3)).with("sim.network", "x").with("sim.loss", "1.5")));
        assertMessage("unknown property sim.los; the sim transport reads sim.duplicate, sim.latency, sim.loss, "
                + "sim.network, sim.reorder, sim.reorderWithin, sim.seed",
                () -> p.open(TransportOptions.bind(id(3)).with("sim.los", "0.1")));
        assertMessage("sim.seed is 2 but network \"default\" was created with seed 1; leave it out to join that "
                + "network", () -> p.open(TransportOptions.bind(id(3)).with("sim.seed", "2")));
        assertMessage("sim.loss is 0.2 but network \"default\" has 0.1; leave it out to join that network as it is",
                () -> p.open(TransportOptions.bind(id(3)).with("sim.loss", "0.2")));
        assertMessage("sim.seed must be an integer in [-9223372036854775808, 9223372036854775807], was \"one\"",
                () -> p.open(TransportOptions.bind(id(3)).with("sim.network", "y").with("sim.seed", "one")));
        assertMessage("sim.network must name a network (any non-blank text), was blank",
                () -> p.open(TransportOptions.bind(id(3)).with("sim.network", " ")));
        IllegalArgumentException wildcard = assertThrows(IllegalArgumentException.class,
                () -> p.open(TransportOptions.bind(Identifier.parse("0.0.0.0:7946"))));
        assertTrue(wildcard.getMessage().startsWith("address must be a concrete host"), wildcard.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> p.open(TransportOptions.bind(id(3)).with("sim.latency", "fast")));

        TransportProvider own = net.provider();
        assertEquals("sim", own.name());
        assertEquals(net, ((SimTransport) own.open(TransportOptions.bind(id(4)))).network());
        assertMessage("unknown property sim.loss; a provider from SimNetwork.provider() reads none (its network is "
                + "already configured)", () -> own.open(TransportOptions.bind(id(5)).with("sim.loss", "0")));
    }

    @Test
    void aNetworkBelongsToTheThreadThatBuiltIt() throws Exception {
        SimNetwork net = SimNetwork.builder().build();
        SimTransport t = net.open(id(1));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                t.send(id(2), ByteBuffer.wrap(new byte[1]));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        other.start();
        other.join();
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(thrown.get().getMessage().startsWith("a simulated network belongs to the thread that built it"));
        net.clock().schedule(1, () -> net.runFor(Duration.ofSeconds(1)));
        IllegalStateException nested = assertThrows(IllegalStateException.class, () -> net.runFor(Duration.ofNanos(2)));
        assertTrue(nested.getMessage().startsWith("the simulated network is already running"), nested.getMessage());
        assertMessage("duration must not be negative, was PT-1S", () -> net.runFor(Duration.ofSeconds(-1)));
        assertMessage("limit must not be negative, was PT-1S", () -> net.runUntil(() -> false, Duration.ofSeconds(-1)));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        Throwable e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }

    private static long loopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("pulse-loop"))
                .count();
    }
}
