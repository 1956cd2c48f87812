package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A suspect is asked directly before it is declared DEAD, with a ping carrying the suspicion (the suspect refutes, and
 * its refutation rides its ack): by its accuser halfway through the minimum timeout (a reminder); by every holder one
 * probe interval before the deadline (a precheck, which moves no deadline); and, for a suspicion nobody confirmed,
 * once more at the deadline with a short wait (the last check). Without these a member that the refutation's gossip
 * missed declared a live member DEAD.
 */
class SuspicionChecksTest {

    /**
     * The nightly accuracy property's case: under 8% loss a suspicion raised just before a 1.5 s partition got no
     * confirmation, and the suspect's refutation was spent inside the partition; at the maximum timeout the lone
     * suspecter declared it DEAD.
     */
    @Test
    void aLoneSuspicionRaisedBeforeAShortPartitionEndsWithoutDead() {
        RunSpec s = new RunSpec(39, 2587270111648699186L, 82775325852L, "lan", true, 0,
                new Simulation.Network(Latency.parse("uniform:100us-3ms"), 0.08, 0.0, 0.0, 1_000_000L),
                Schedule.parse("at 10s partition 0-35 for 1497ms"), 100_000_000L);
        RunReport r = Runner.run(s);
        assertEquals(0, r.falsePositives(), r.falseAlarms() + "\n" + r.summary());
    }

    private static RunSpec lossyLan(long seed, String schedule) {
        return new RunSpec(39, seed, 80_000_000_000L, "lan", true, 0,
                new Simulation.Network(Latency.parse("uniform:100us-3ms"), 0.08, 0.0, 0.0, 1_000_000L),
                Schedule.parse(schedule), 100_000_000L);
    }

    /**
     * The same shape, found again after the accusation answers were rate-limited: node 37, cut off with 36 and 38,
     * suspected node 17 at 11.0 s; its gossip stayed on its side and 17 never heard it, nor spoke to any of the
     * three before the maximum timeout; at 39.6 s node 37 declared 17 DEAD, and within a second all 38 members had
     * (38 false positives).
     */
    @Test
    void aSuspicionRaisedInsideAPartitionWhoseSuspectNeverHeardItIsCheckedBeforeDead() {
        RunReport r = Runner.run(lossyLan(31, "at 10s partition 0-35 for 1497ms"));
        assertEquals(0, r.falsePositives(), r.falseAlarms() + "\n" + r.summary());
        RunReport r2 = Runner.run(lossyLan(81, "at 10s partition 0-4 for 2500ms"));
        assertEquals(0, r2.falsePositives(), r2.falseAlarms() + "\n" + r2.summary());
    }

    /**
     * A confirmed suspicion raised inside a short partition: its accusers' gossip stayed on their side, so the
     * suspect learned of it only if it happened to talk to an accuser before the minimum timeout, and under loss
     * it sometimes did not (seed 309: node 37 declared node 13 DEAD at 24.5 s, and 15 others followed; seed 71:
     * node 36 declared DEAD by 7). An accuser now tells the suspect directly halfway through the minimum timeout.
     */
    @Test
    void anAccuserRemindsItsSuspectSoAConfirmedSuspicionFromAPartitionIsRefuted() {
        RunReport r = Runner.run(lossyLan(309, "at 10s partition 0-35 for 1497ms"));
        assertEquals(0, r.falsePositives(), r.falseAlarms() + "\n" + r.summary());
        RunReport r2 = Runner.run(lossyLan(71, "at 10s partition 0-4 for 2000ms"));
        assertEquals(0, r2.falsePositives(), r2.falseAlarms() + "\n" + r2.summary());
    }

    /**
     * The nightly refutation property's case (LOCAL preset, 47 nodes, 3% loss, node 14 paused 3.38 s): on resuming,
     * node 14 refuted and within 400 ms 45 of the 46 members held its new incarnation; the epidemic then stopped, and
     * node 43, which held a confirmed suspicion it had heard by gossip, never heard the refutation and declared 14
     * DEAD at 17.4 s. The precheck asks the suspect one probe interval before the deadline.
     */
    @Test
    void everyHolderAsksTheSuspectBeforeTheDeadlineSoAMissedRefutationIsFetched() {
        RunSpec s = new RunSpec(47, 1054897619139718769L, 85575522876L, "local", true, 0,
                new Simulation.Network(Latency.parse("uniform:100us-16ms"), 0.03, 0.0, 0.0, 1_000_000L),
                Schedule.parse("at 10s pause 14 for 3380ms; at 45477761438ns loss 0.0"), 100_000_000L);
        RunReport r = Runner.run(s);
        assertEquals(0, r.falsePositives(), r.falseAlarms() + "\n" + r.summary());
    }
}
