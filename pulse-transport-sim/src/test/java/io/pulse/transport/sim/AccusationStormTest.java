package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A slow member and the members that suspect it must not feed each other datagrams. Before accusation answers were
 * limited to one per peer per gossip interval, two members that suspected each other answered every answer with two
 * more: the README's own {@code --nodes 50 --slow 3 --slow-factor 20 --local-health off} ran out of heap, and five
 * nodes with one slow member went from 40 to 47,419 messages per second in twelve virtual seconds.
 *
 * <p>The runs force hybrid direct monitoring (threshold 100) where the storm was seen: a monitor's pulse every
 * interval is the steady stream of frames the storm grew from. The same runs in SWIM mode guard the default.
 */
class AccusationStormTest {

    private static final long S = 1_000_000_000L;

    private static RunReport run(int nodes, long seconds, String preset, int threshold, boolean localHealth,
                                 String schedule) {
        RunSpec spec = RunSpec.of(nodes, 1, seconds * S, preset).withDirectMonitorThreshold(threshold)
                .withLocalHealth(localHealth).withSchedule(Schedule.parse(schedule));
        return Runner.run(spec);
    }

    /** Messages per member per second of the same cluster without the slow member. */
    private static double quiet(int nodes, long seconds, String preset, int threshold) {
        return run(nodes, seconds, preset, threshold, true, "").messagesPerMemberPerSecond().max();
    }

    /**
     * Bounded: the cluster's traffic does not grow once the slow member is slow (the busiest second of the run's
     * second half is at most 1.5 times the busiest of its first half), and no member sends more than {@code factor}
     * times what the busiest member sends in a quiet cluster. A slow member does cost more than a quiet one: its
     * late acks send its monitors through retries and indirect pulses, and it refutes.
     */
    private static void bounded(RunReport slow, double quietMax, double factor) {
        double max = slow.messagesPerMemberPerSecond().max();
        assertTrue(max <= factor * quietMax,
                "a member sent " + max + " messages/s with a slow member, against " + quietMax
                        + " in a quiet cluster\n" + slow.summary());
        List<Long> perBucket = slow.timeline().messages();
        int half = perBucket.size() / 2;
        long first = Collections.max(perBucket.subList(1, half));
        long second = Collections.max(perBucket.subList(half, perBucket.size()));
        assertTrue(second <= 1.5 * first, "traffic grew from " + first + " to " + second + " messages per "
                + slow.timeline().bucketMs() + " ms: " + perBucket + "\n" + slow.summary());
        assertEquals(0, slow.falsePositives(), slow.falseAlarms() + "\n" + slow.summary());
    }

    @Test
    void aSlowMemberAndItsMonitorsExchangeBoundedTrafficInHybridMode() {
        RunReport r = run(5, 12, "lan", 100, true, "at 1200ms slow 2 x10");
        bounded(r, quiet(5, 12, "lan", 100), 8);
    }

    @Test
    void threeVerySlowMembersWithoutLocalHealthDoNotStormInHybridMode() {
        RunReport r = run(50, 30, "lan", 100, false, "at 3s slow 10 x20; at 3s slow 20 x20; at 3s slow 30 x20");
        bounded(r, quiet(50, 30, "lan", 100), 8);
    }

    @Test
    void aSlowMemberExchangesBoundedTrafficInSwimModeOnEveryPreset() {
        for (String preset : new String[] {"lan", "wan", "local"}) {
            RunReport r = run(20, 60, preset, 0, true, "at 6s slow 3 x10");
            bounded(r, quiet(20, 60, preset, 0), 8);
        }
    }
}
