package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lifeguard's claim, measured: with a few slow members (a starved CPU: every input handled late), local health
 * makes the slow members stop accusing healthy ones, so false suspicions and false positives fall. The same seeds
 * and schedules run with local health on and off; the factor is printed, and the test asserts that local health
 * at least halves the false alarms (the Lifeguard paper reports more than 50x fewer false positives in its setting).
 * It runs for SWIM alone (direct-monitor threshold 0) and for the hybrid mode (threshold 100: every member monitored
 * directly). {@code -Dpulse.sim.nightly=true} runs more seeds on a larger cluster.
 */
class LifeguardTest {

    private static final long S = 1_000_000_000L;
    private static final boolean NIGHTLY = Boolean.getBoolean("pulse.sim.nightly");

    @Test
    void localHealthCutsTheFalseAlarmsThatSlowMembersRaise() {
        localHealthCutsFalseAlarms(0);
    }

    /**
     * The same promise in hybrid mode. It failed on {@code 14cfd8f}, where local health cut the false suspicions of
     * healthy members only 1.7x (243,764 on against 413,667 off over the 4 seeds; SWIM alone: 245x): every answered
     * pulse lowered the score, so a slow member's misses were undone at once. Now an answered pulse lowers it at
     * most once per stretched probe interval and the pulse cycle stretches with it: 2,720 on against 417,575 off
     * (153x).
     */
    @Test
    void localHealthCutsTheFalseAlarmsThatSlowMembersRaiseInHybridMode() {
        localHealthCutsFalseAlarms(100);
    }

    private static void localHealthCutsFalseAlarms(int directMonitorThreshold) {
        int nodes = NIGHTLY ? 100 : 32;
        int seeds = NIGHTLY ? 20 : 4;
        long duration = (NIGHTLY ? 600 : 300) * S;
        long onSuspicions = 0;
        long offSuspicions = 0;
        long onPositives = 0;
        long offPositives = 0;
        List<String> lines = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            RunSpec spec = RunSpec.of(nodes, seed, duration, "lan").withDirectMonitorThreshold(directMonitorThreshold)
                    .withSchedule(Schedule.parse("at 10s slow 3 x20; at 10s slow 11 x20; at 10s slow 17 x20"));
            RunReport on = Runner.run(spec.withLocalHealth(true));
            RunReport off = Runner.run(spec.withLocalHealth(false));
            onSuspicions += on.falseSuspicions() - on.falseSuspicionsOfSlowMembers();
            offSuspicions += off.falseSuspicions() - off.falseSuspicionsOfSlowMembers();
            onPositives += on.falsePositives();
            offPositives += off.falsePositives();
            lines.add("seed " + seed + ": local health on: " + on.falseSuspicions() + " false suspicions ("
                    + on.falseSuspicionsOfSlowMembers() + " of slow members), " + on.falsePositives()
                    + " false positives; off: " + off.falseSuspicions() + " (" + off.falseSuspicionsOfSlowMembers()
                    + "), " + off.falsePositives());
        }
        String figures = String.format(java.util.Locale.ROOT,
                "Lifeguard, direct-monitor threshold %d, %d nodes, 3 slow x20, %d seeds x %d s: false suspicions of healthy members on %d / off %d"
                        + " (%.1fx fewer), "
                        + "false positives on %d / off %d (%s)%n  %s", directMonitorThreshold, nodes, seeds, duration / S, onSuspicions,
                offSuspicions, (double) offSuspicions / Math.max(1, onSuspicions), onPositives, offPositives,
                onPositives == 0 ? (offPositives == 0 ? "none either way" : "none with local health")
                        : String.format(java.util.Locale.ROOT, "%.1fx fewer",
                                (double) offPositives / onPositives), String.join("\n  ", lines));
        System.out.println(figures);
        assertTrue(offSuspicions > 0, "slow members raise false suspicions without local health\n" + figures);
        assertTrue(onSuspicions * 2 <= offSuspicions, figures);
        // false positives here are a member slowed 20x being declared dead: a handful per run either way, too
        // few to show a factor, so the assertion is only that local health never makes them more frequent
        assertTrue(onPositives <= offPositives, figures);
    }
}
