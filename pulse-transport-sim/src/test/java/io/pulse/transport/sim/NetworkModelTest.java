package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulated network's options and faults, each shown doing what its documentation says. */
class NetworkModelTest {

    private static final long S = 1_000_000_000L;

    private static PulseConfig swim() {
        return PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
    }

    @Test
    void latencyDistributionsHaveTheirStatedShape() {
        SplittableRandom r = new SplittableRandom(1);
        long[] draws = new long[20_000];
        Latency log = Latency.parse("lognormal:2ms/50ms");
        for (int i = 0; i < draws.length; i++) {
            draws[i] = log.sampleNs(r);
        }
        java.util.Arrays.sort(draws);
        long median = draws[draws.length / 2];
        long p99 = draws[(int) (draws.length * 0.99)];
        assertTrue(median > 1_800_000 && median < 2_200_000, "median " + median);
        assertTrue(p99 > 40_000_000 && p99 < 62_000_000, "p99 " + p99);
        Latency uniform = Latency.parse("uniform:1ms-3ms");
        Latency normal = Latency.parse("normal:5ms/1ms");
        for (int i = 0; i < 1000; i++) {
            long u = uniform.sampleNs(r);
            assertTrue(u >= 1_000_000 && u <= 3_000_000);
            assertTrue(normal.sampleNs(r) >= 0);
        }
        assertEquals(1_000_000, Latency.parse("1ms").sampleNs(r));
        for (String text : new String[] {"fixed:1ms", "uniform:200us-1ms", "normal:5ms/1ms", "lognormal:2ms/50ms"}) {
            assertEquals(text, Latency.parse(text).toString());
        }
        assertThrows(IllegalArgumentException.class, () -> Latency.parse("uniform:3ms-1ms"));
        assertThrows(IllegalArgumentException.class, () -> Latency.parse("pareto:1ms"));
    }

    @Test
    void anAsymmetricBlockLetsOneDirectionThrough() {
        Simulation sim = Simulation.builder().nodes(2).config(swim()).seed(3).build().startAll();
        sim.block(0, 1, 5 * S, Fault.FOREVER);
        sim.runUntil(6 * S);
        assertTrue(sim.isCut(0, 1));
        assertTrue(!sim.isCut(1, 0));
        long delivered = sim.delivered();
        sim.runUntil(60 * S);
        // 0 -> 1 is cut: 1's pings reach 0, but 0's acks never come back, so 1 declares 0 dead
        assertTrue(sim.delivered() > delivered, "the open direction still delivers");
        assertEquals(State.DEAD, sim.node(1).stateOf(sim.id(0)).orElseThrow(), "1 no longer hears 0");
    }

    @Test
    void duplicationAndReorderingAreCountedAndHarmless() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(20).config(swim()).seed(4)
                .network(Simulation.Network.lan().withDuplicate(0.2).withReorder(0.3, 20_000_000)).build()
                .listen(rec).startAll();
        sim.runUntil(300 * S);
        assertTrue(sim.duplicated() > 0 && sim.reordered() > 0);
        assertEquals(java.util.List.of(), rec.ofType(MembershipEvent.Failed.class));
    }

    @Test
    void theNetworkChangesOverTime() {
        Simulation sim = Simulation.builder().nodes(10).config(swim()).seed(5).build().startAll();
        Schedule.parse("at 10s loss 0.5; at 20s loss 0.0; at 20s latency fixed:3ms").applyTo(sim);
        sim.runUntil(15 * S);
        assertEquals(0.5, sim.network().loss());
        sim.runUntil(25 * S);
        assertEquals(0.0, sim.network().loss());
        assertEquals(new Latency.Fixed(3_000_000), sim.network().latency());
    }

    @Test
    void aSlowMemberAnswersLateAndItsPeersSuspectIt() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(10).config(swim()).seed(6).build().listen(rec).startAll();
        sim.slow(2, 20, 5 * S, 60 * S);
        sim.runUntil(60 * S);
        assertEquals(20.0, sim.slowFactor(2));
        assertTrue(!rec.of(MembershipEvent.Suspected.class, sim.id(2)).isEmpty(), "answers 1.9 s late: suspected");
        sim.runUntil(200 * S);
        assertEquals(1.0, sim.slowFactor(2));
        for (int i = 0; i < sim.size(); i++) {
            assertEquals(State.ALIVE, sim.node(i).stateOf(sim.id(2)).orElseThrow(), "node " + i);
        }
    }
}
