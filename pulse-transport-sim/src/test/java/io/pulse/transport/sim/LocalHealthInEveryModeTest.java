package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.PulseConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lifeguard's local health works in both monitoring modes: a member that misses answers raises its own score, and
 * answers lower it again once the trouble is over. In hybrid mode the score once changed only on the SWIM probe
 * path, which hybrid mode does not run: refutations raised it and nothing lowered it, so a member slowed for a
 * while kept the maximum score (8) for good, stretching its probes eightfold in a healthy cluster.
 */
class LocalHealthInEveryModeTest {

    private static final long S = 1_000_000_000L;

    private static Simulation slowThenHealthy(PulseConfig config, long seed) {
        Simulation sim = Simulation.builder().nodes(10).config(config).seed(seed).build().startAll();
        sim.slow(3, 20, 5 * S, 30 * S);
        return sim;
    }

    private static List<Integer> scores(Simulation sim) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < sim.size(); i++) {
            out.add(sim.node(i).localHealth());
        }
        return out;
    }

    private static void check(PulseConfig config) {
        for (long seed = 1; seed <= 3; seed++) {
            Simulation sim = slowThenHealthy(config, seed);
            int highest = 0;
            for (int second = 0; second < 35; second++) {
                sim.runFor(Duration.ofSeconds(1));
                highest = Math.max(highest, sim.node(3).localHealth());
            }
            assertTrue(highest > 0, "seed " + seed + ": the slow member's own score never rose while it was slow");
            sim.runFor(Duration.ofMinutes(10));
            List<Integer> after = scores(sim);
            for (int i = 0; i < after.size(); i++) {
                assertEquals(0, after.get(i), "seed " + seed + ": member " + i
                        + "'s score ten healthy minutes after the slow period (scores " + after + ")");
            }
        }
    }

    /** Hybrid mode, forced: the mode whose score never came down. */
    @Test
    void localHealthRisesAndRecoversInHybridMode() {
        check(PulseConfig.lan().toBuilder().hybridMonitoring().build());
    }

    @Test
    void localHealthRisesAndRecoversInSwimMode() {
        check(PulseConfig.lan());
    }
}
