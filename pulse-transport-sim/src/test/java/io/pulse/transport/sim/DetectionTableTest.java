package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Detection time at every survivor and message load, per cluster size and mode, for BENCHMARKS.md: one crash at
 * 30 s, 600 virtual seconds, LAN preset. A measurement, not a default test: run with
 * {@code mvn -B -q -o -pl pulse-transport-sim test -Dtest=DetectionTableTest -Dpulse.sim.table=true}.
 */
class DetectionTableTest {

    private static final long S = 1_000_000_000L;

    @ParameterizedTest(name = "n={0} threshold={1} loss={2}")
    @CsvSource({"10, 100, 0", "50, 100, 0", "100, 100, 0", "100, 0, 0", "100, 100, 0.05"})
    void detection(int n, int threshold, double loss) {
        Assumptions.assumeTrue(Boolean.getBoolean("pulse.sim.table"), "a measurement: -Dpulse.sim.table=true");
        PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(threshold).build();
        int victim = n / 2;
        long crashAt = 30 * S;
        long[] first = {Long.MAX_VALUE};
        long[] last = {0};
        int[] deaths = {0};
        int[] falsePositives = {0};
        Simulation sim = Simulation.builder().nodes(n).config(config).seed(5)
                .network(Simulation.Network.lan().withLoss(loss)).build();
        sim.listen((node, at, e) -> {
            if (e instanceof MembershipEvent.Failed) {
                if (e.member().equals(sim.id(victim))) {
                    deaths[0]++;
                    first[0] = Math.min(first[0], at);
                    last[0] = Math.max(last[0], at);
                } else {
                    falsePositives[0]++;
                }
            }
        }).startAll();
        sim.crash(victim, crashAt);
        long duration = 600 * S;
        sim.runUntil(duration);
        long sent = 0;
        for (int i = 0; i < n; i++) {
            sent += sim.sentDatagrams(i);
        }
        System.out.printf("n=%d %s loss=%.0f%%: first DEAD %.2f s, every survivor %.2f s, false positives %d, "
                        + "messages/member/s %.1f%n", n, threshold >= n ? "hybrid" : "SWIM", loss * 100,
                (first[0] - crashAt) / 1e9, (last[0] - crashAt) / 1e9, falsePositives[0],
                sent / (double) n / (duration / 1e9));
        assertEquals(n - 1, deaths[0], "every survivor declared the crash");
        assertEquals(0, falsePositives[0]);
    }
}
