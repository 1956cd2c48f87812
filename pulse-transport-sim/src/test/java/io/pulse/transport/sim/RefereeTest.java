package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The referee itself, on cases whose answer is known: who may declare whom DEAD, by what each declarer could hear.
 */
class RefereeTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    /** A referee of 5 nodes that excuses a declaration after 3 s of cut within a 20 s look-back. */
    private static Referee referee(String schedule) {
        return new Referee(5, Schedule.parse(schedule).faults(), 120 * S, 3 * S, 20 * S);
    }

    @Test
    void aOneWayBlockExcusesOnlyTheMemberThatCannotHear() {
        Referee r = referee("at 10s block 0 -> 1 for 30s");
        assertTrue(r.judge(1, 0, 20 * S).excused(), "1 has not heard 0 for 10 s");
        assertEquals(10 * S, r.judge(1, 0, 20 * S).cutNs());
        assertFalse(r.judge(2, 0, 20 * S).excused(), "a third member hears 0 all along");
        assertFalse(r.judge(0, 1, 20 * S).excused(), "0 hears 1 all along: the block is the other way");
        assertFalse(r.judge(1, 0, 12 * S).excused(), "2 s of cut is less than the minimum suspicion timeout");
        assertFalse(r.judge(1, 0, 61 * S).excused(), "the block ended more than the look-back window ago");
    }

    @Test
    void aDatagramHeardDuringTheCutRestartsTheSilence() {
        Referee r = referee("at 10s block 0 -> 1 for 30s");
        r.heard(0, 1, 18 * S); // sent before the block, handled late (a slow or paused receiver)
        assertFalse(r.judge(1, 0, 20 * S).excused(), "1 heard 0 two seconds ago");
        assertEquals(2 * S, r.judge(1, 0, 20 * S).cutNs());
        assertTrue(r.judge(1, 0, 22 * S).excused());
        assertFalse(r.judge(2, 0, 22 * S).excused());
    }

    @Test
    void aPausedOrCrashedEndCutsThePathBothWays() {
        Referee r = referee("at 10s pause 3 for 5s; at 30s crash 4; at 32s restart 4 via 0");
        assertTrue(r.judge(0, 3, 15 * S).excused(), "3 said nothing for 5 s");
        assertTrue(r.judge(3, 0, 15 * S).excused(), "3 heard nothing for 5 s");
        assertFalse(r.judge(0, 1, 15 * S).excused(), "0 and 1 were never cut");
        assertEquals(2 * S, r.judge(0, 4, 33 * S).cutNs(), "crashed from 30 s to 32 s");
        assertFalse(r.judge(0, 4, 33 * S).excused());
    }

    @Test
    void aPartitionCutsAcrossItsGroupsUntilItHealsOrAnotherReplacesIt() {
        Referee r = referee("at 10s partition 0-1 | 2-4 for 10s; at 14s partition 0 | 1-4 for 2s");
        // 0-1 | 2-4 from 10 s to 14 s; 0 | 1-4 from 14 s to 16 s; the first partition's heal at 20 s does nothing
        assertEquals(6 * S, r.cutNs(2, 0, 0, 30 * S));
        assertEquals(2 * S, r.cutNs(1, 0, 0, 30 * S));
        assertEquals(4 * S, r.cutNs(3, 1, 0, 30 * S));
        assertEquals(0, r.cutNs(3, 4, 0, 30 * S));
    }

    @Test
    void overlappingCutsAreCountedOnce() {
        Referee r = referee("at 10s block 0 -> 1 for 4s; at 12s block 0 <-> 1 for 4s; at 13s pause 0 for 1s");
        assertEquals(6 * S, r.cutNs(0, 1, 0, 30 * S), "10 s to 16 s");
        assertEquals(4 * S, r.cutNs(1, 0, 0, 30 * S), "12 s to 16 s");
        assertEquals(3 * S, r.cutNs(0, 1, 13 * S, 20 * S));
    }

    /** The referee's cuts, sampled every 50 ms, against the simulator's own view of who can reach whom. */
    @Test
    void theRefereesCutsAreTheSimulatorsCuts() {
        String schedule = "at 1s partition 0-1 | 2-4 for 3s; at 2s partition 0-2 for 5s; at 3s block 3 -> 4 for 2s;"
                + " at 4s block 3 -> 4 for 2s; at 5s block 1 <-> 2 for 1s; at 6s pause 2 for 1500ms;"
                + " at 6500ms pause 2 for 200ms; at 8s crash 1; at 9s restart 1 via 0; at 10s partition 4 for 1s";
        Referee r = referee(schedule);
        Simulation sim = Simulation.builder().nodes(5).seed(3).build();
        sim.startAll();
        Schedule.parse(schedule).applyTo(sim);
        List<String> wrong = new ArrayList<>();
        for (long t = 25 * MS; t < 12 * S; t += 50 * MS) {
            sim.runUntil(t);
            for (int from = 0; from < 5; from++) {
                for (int to = 0; to < 5; to++) {
                    if (from == to) {
                        continue;
                    }
                    boolean cut = sim.isCut(from, to) || sim.isPaused(from) || sim.isPaused(to)
                            || sim.isCrashed(from) || sim.isCrashed(to);
                    if (cut != (r.cutNs(from, to, t, t + 1) == 1)) {
                        wrong.add("at " + t / MS + " ms " + from + " -> " + to + ": simulator " + cut);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aQuietRunHasNoFalsePositive() {
        RunReport r = Runner.run(RunSpec.of(10, 1, 60 * S, "lan"));
        assertEquals(0, r.falsePositives(), r.summary());
        assertEquals(List.of(), r.falseAlarms());
    }

    /**
     * Nobody hears node 0 (every link from it blocked); node 0 hears everyone. The others' declarations of 0 are
     * excused; 0's declarations of members it hears all along are false positives. The referee that excused both
     * ends of every block reported none.
     */
    @Test
    void aMemberThatHearsEveryoneAndDeclaresThemDeadRaisesFalsePositives() {
        int n = 6;
        StringBuilder faults = new StringBuilder();
        for (int i = 1; i < n; i++) {
            faults.append("at 10s block 0 -> ").append(i).append(" for 90s; ");
        }
        RunSpec spec = RunSpec.of(n, 7, 120 * S, "lan").withSchedule(Schedule.parse(faults.toString()));
        RunReport r = Runner.run(spec);
        assertTrue(r.falsePositives() > 0, r.falseAlarms() + "\n" + r.summary());
        for (RunReport.FalseAlarm a : r.falseAlarms()) {
            if (a.kind().equals("falsePositive")) {
                assertEquals(0, a.observer(), a + " names a member that could not hear node 0\n" + r.summary());
            }
        }
        assertEquals(r.falsePositives(), r.falseAlarms().stream().filter(a -> a.kind().equals("falsePositive"))
                .count(), "every false positive is listed");
    }
}
