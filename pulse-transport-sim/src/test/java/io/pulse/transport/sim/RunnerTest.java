package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The run report: what it measures on runs whose outcome is known. */
class RunnerTest {

    private static final long S = 1_000_000_000L;

    private static RunSpec spec(int nodes, long seconds, String faults) {
        return RunSpec.of(nodes, 5, seconds * S, "lan").withDirectMonitorThreshold(0)
                .withSchedule(Schedule.parse(faults));
    }

    @Test
    void measuresACrashFromSuspicionToEveryoneKnowing() {
        RunReport r = Runner.run(spec(30, 120, "at 20s crash 3; at 25s crash 9"));
        assertEquals(2, r.failures().size(), r.summary());
        for (RunReport.Failure f : r.failures()) {
            long suspect = f.firstSuspectMs().orElseThrow();
            long dead = f.firstDeadMs().orElseThrow();
            long all = f.allKnowMs().orElseThrow();
            assertTrue(suspect <= dead && dead <= all, f.toString());
            assertEquals(28, f.knew(), f.toString());
            assertEquals(28, f.ofLive(), f.toString());
        }
        assertEquals(0, r.undetected());
        assertEquals(0, r.falsePositives(), r.summary());
        assertEquals(0, r.falseSuspicions(), r.summary());
        assertEquals(2 * 28, r.detectionLatenciesMs().size());
        assertTrue(r.detection().firstDeadP50Ms().isPresent());
        assertTrue(r.messagesPerMemberPerSecond().mean() > 1.5, r.summary());
        assertEquals(120, r.timeline().messages().size());
        assertEquals(r.timeline().messages().stream().mapToLong(Long::longValue).sum(),
                Math.round(r.messagesPerMemberPerSecond().mean() * 30 * 120));
    }

    @Test
    void aShortPartitionConvergesAfterItHeals() {
        // 4 s: shorter than the 5.2 s minimum suspicion timeout at n = 20, so suspicions are refuted
        RunReport r = Runner.run(spec(20, 120, "at 20s partition 0-9 | 10-19 for 4s"));
        assertEquals(0, r.falsePositives(), r.summary());
        assertEquals(1, r.convergenceMs().size());
        OptionalLong c = r.convergenceMs().get(0);
        assertTrue(c.isPresent(), r.summary());
    }

    @Test
    void aLongPartitionDeclaresTheOtherSideDeadWithoutAFalsePositive() {
        RunReport r = Runner.run(spec(20, 120, "at 20s partition 0-9 | 10-19 for 60s"));
        assertEquals(0, r.falsePositives(), r.summary());
        assertTrue(r.timeline().deaths().stream().mapToLong(Long::longValue).sum() >= 200, r.summary());
    }

    @Test
    void aSlowMemberWithoutLocalHealthRaisesFalseAlarms() {
        RunReport r = Runner.run(spec(20, 300, "at 10s slow 4 x20").withLocalHealth(false));
        assertTrue(r.falseSuspicions() > 0, r.summary());
    }

    @Test
    void sameSpecSameDigestAndTheReplayCallNamesEverything() {
        RunSpec s = spec(15, 60, "at 10s crash 2; at 20s pause 5 for 3s; at 30s block 1 -> 4 for 5s");
        RunReport a = Runner.run(s);
        RunReport b = Runner.run(s);
        assertEquals(a.digest(), b.digest());
        assertEquals(a.events(), b.events());
        assertTrue(s.describe().contains("Schedule.parse(\"at 10s crash 2; at 20s pause 5 for 3s; at 30s block 1 -> 4"
                + " for 5s\")"), s.describe());
        assertTrue(s.commandLine().startsWith("./pulse sim --nodes 15 --seed 5 --duration 1m --preset lan"),
                s.commandLine());
    }
}
