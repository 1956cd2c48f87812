package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Cases the nightly-size property runs shrank to, kept as deterministic regressions (each runs in well under a
 * second). Each once ended with a live member declared DEAD: a refutation that bounded gossip did not bring to every
 * member that suspected (fixed by the LOCAL preset's retransmit multiplier, and by answering accusations directly),
 * or suspicions raised inside a partition that timed out after it healed (fixed by telling a suspect that talks to
 * us what we hold against it). See BENCHMARKS.md, "Nightly-size runs".
 */
class ShrunkCasesTest {

    private static RunSpec spec(int nodes, long seed, long durationNs, String preset, String latency, double loss,
                                String schedule) {
        return new RunSpec(nodes, seed, durationNs, preset, true, 0,
                new Simulation.Network(Latency.parse(latency), loss, 0.0, 0.0, 1_000_000L), Schedule.parse(schedule),
                100_000_000L);
    }

    private static void noFalsePositive(RunSpec s) {
        RunReport r = Runner.run(s);
        assertEquals(0, r.falsePositives(), r.falseAlarms() + "\n" + r.summary());
    }

    @Test
    void localPresetPauseOfOneOf46IsRefutedEverywhere() {
        noFalsePositive(spec(46, 285621968487297411L, 51933640970L, "local", "uniform:100us-1ms", 0.0,
                "at 10s pause 36 for 2004ms"));
    }

    @Test
    void localPresetShortPausesAndPartitionsRaiseNoFalsePositive() {
        noFalsePositive(spec(12, -3532849771540842900L, 112441049712L, "local", "uniform:100us-6ms", 0.0,
                "at 10s pause 11 for 406ms; at 33831262428ns partition 0-1 for 1170ms; "
                        + "at 58426524856ns partition 0-5 for 1164ms"));
    }

    @Test
    void localPresetShortPartitionUnderLossConvergesWithoutFalsePositive() {
        RunSpec s = spec(39, 235243472026550122L, 46150162926L, "local", "uniform:100us-1ms", 0.03,
                "at 10s partition 0-4 for 1511ms");
        RunReport r = Runner.run(s);
        assertEquals(0, r.falsePositives(), r.falseAlarms() + "\n" + r.summary());
        OptionalLong conv = r.convergenceMs().get(0);
        assertTrue(conv.isPresent() && conv.getAsLong() <= SimulationPropertiesTest.convergenceBoundNs(s) / 1_000_000L,
                r.summary());
    }

    @Test
    void lanSuspicionsRaisedInsideAPartitionDoNotTimeOutAfterTheHeal() {
        RunSpec s = spec(34, -2151493031674038176L, 46942620506L, "lan", "lognormal:100us/2ms", 0.02,
                "at 10s partition 0-28 for 3376ms");
        RunReport r = Runner.run(s);
        assertEquals(0, r.falsePositives(), r.falseAlarms() + "\n" + r.summary());
        OptionalLong conv = r.convergenceMs().get(0);
        assertTrue(conv.isPresent() && conv.getAsLong() <= SimulationPropertiesTest.convergenceBoundNs(s) / 1_000_000L,
                r.summary());
    }

    @Test
    void wanRefutationReachesTheMemberGossipMissed() {
        noFalsePositive(spec(64, 9024033224679127711L, 1119876185942L, "wan", "lognormal:2ms/40ms", 0.1,
                "at 10s pause 12 for 19750ms; at 374862395314ns pause 63 for 24789ms"));
    }

    @Test
    void lanPauseUnderLossIsRefutedEverywhere() {
        noFalsePositive(spec(49, 1518757858955472158L, 53829529440L, "lan", "normal:7500us/3ms", 0.05,
                "at 10s pause 16 for 3406ms"));
    }
}
