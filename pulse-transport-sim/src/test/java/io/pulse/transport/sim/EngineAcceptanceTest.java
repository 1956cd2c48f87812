package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine issue's acceptance run: LAN preset, 200 nodes, 5% packet loss, several crashes; every crash is
 * detected by every live member and no live member is ever declared dead. The default run covers 10 virtual
 * minutes; {@code -Dpulse.sim.nightly=true} runs the full virtual hour. Figures are printed, not asserted.
 */
class EngineAcceptanceTest {

    private static final long S = 1_000_000_000L;

    @Test
    void lanTwoHundredNodesFivePercentLoss() {
        boolean nightly = Boolean.getBoolean("pulse.sim.nightly");
        long duration = (nightly ? 3600 : 600) * S;
        int n = 200;
        long seed = Long.getLong("pulse.sim.seed", 20261125L);
        PulseConfig config = PulseConfig.lan();
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(n).config(config).seed(seed)
                .network(Simulation.Network.lan().withLoss(0.05)).build().listen(rec).startAll();
        int[] victims = {17, 42, 99, 123, 188};
        long[] crashAt = new long[victims.length];
        for (int v = 0; v < victims.length; v++) {
            crashAt[v] = (60 + v * (duration / S - 180) / victims.length) * S;
            sim.crash(victims[v], crashAt[v]);
        }
        long wall = System.nanoTime();
        sim.runUntil(duration);
        double wallSeconds = (System.nanoTime() - wall) / 1e9;
        String replay = "replay: Simulation seed " + seed + ", n=" + n + ", LAN, loss 5%, crashes "
                + Arrays.toString(victims) + " at " + Arrays.toString(crashAt) + " ns";

        List<Double> firstDead = new ArrayList<>();
        List<Double> allKnow = new ArrayList<>();
        for (int v = 0; v < victims.length; v++) {
            List<Recorder.Seen> deaths = rec.of(MembershipEvent.Failed.class, sim.id(victims[v]));
            int survivors = n - victims.length;
            // every member that outlived this victim declares it dead (later victims may die before knowing)
            int later = victims.length - v - 1;
            assertTrue(deaths.size() >= survivors && deaths.size() <= survivors + later,
                    "victim " + victims[v] + " declared dead by " + deaths.size() + "; " + replay);
            long first = deaths.stream().mapToLong(Recorder.Seen::atNs).min().orElseThrow() - crashAt[v];
            long last = deaths.stream().mapToLong(Recorder.Seen::atNs).max().orElseThrow() - crashAt[v];
            firstDead.add(first / 1e9);
            allKnow.add(last / 1e9);
        }
        long falsePositives = rec.ofType(MembershipEvent.Failed.class).stream()
                .filter(s -> Arrays.stream(victims).noneMatch(v -> sim.id(v).equals(s.event().member()))).count();
        assertEquals(0, falsePositives, "false positives; " + replay);

        long sent = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            sent += sim.sentDatagrams(i);
            bytes += sim.sentBytes(i);
        }
        double seconds = duration / 1e9;
        long suspicions = rec.ofType(MembershipEvent.Suspected.class).size();
        firstDead.sort(null);
        allKnow.sort(null);
        System.out.printf("pulse engine acceptance (%s): n=%d, LAN, loss 5%%, %d crashes, %.0f virtual s in %.1f wall s%n",
                nightly ? "nightly" : "default", n, victims.length, seconds, wallSeconds);
        System.out.printf("  first DEAD after crash (s, sorted): %s; p50 %.2f s = %.1f periods%n", firstDead,
                firstDead.get(firstDead.size() / 2), firstDead.get(firstDead.size() / 2));
        System.out.printf("  every survivor knew after (s, sorted): %s%n", allKnow);
        System.out.printf("  false positives %d, suspicions raised %d (%.3f per member per hour)%n", falsePositives,
                suspicions, suspicions / (double) n / (seconds / 3600));
        System.out.printf("  messages per member per second %.3f, bytes per member per second %.1f%n",
                sent / (double) n / seconds, bytes / (double) n / seconds);
        System.out.printf("  events %d, delivered %d (%.0f per wall second), digest %016x%n", sim.events(),
                sim.delivered(), sim.delivered() / wallSeconds, sim.digest());
    }
}
