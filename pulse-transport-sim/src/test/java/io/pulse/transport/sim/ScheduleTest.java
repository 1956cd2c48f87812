package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** The fault schedule's text format: what it reads, what it prints, and how it says what is wrong. */
class ScheduleTest {

    private static final long S = 1_000_000_000L;

    @Test
    void readsEveryKindOfStatement() {
        Schedule s = Schedule.parse("""
                # a comment
                at 30s crash 3; at 60s partition 0-4 | 5-9 for 20s
                at 90s pause 7 for 5s
                at 100s slow 4 x10 for 30s
                at 1.5s leave 2   # trailing comment
                at 120s restart 3
                at 121s restart 0 via 5
                at 2m block 3 -> 4 for 10s; at 2m block 1 <-> 2
                at 130s loss 0.2; at 130s duplicate 0.01; at 130s reorder 0.05 within 10ms
                at 130s latency lognormal:2ms/50ms
                """);
        assertEquals(new Schedule(List.of(
                new Fault.Leave(1_500_000_000L, 2),
                new Fault.Crash(30 * S, 3),
                new Fault.Partition(60 * S, List.of(List.of(0, 1, 2, 3, 4), List.of(5, 6, 7, 8, 9)), 20 * S),
                new Fault.Pause(90 * S, 7, 5 * S),
                new Fault.Slow(100 * S, 4, 10, 30 * S),
                new Fault.Restart(120 * S, 3, 0),
                new Fault.Block(120 * S, 3, 4, false, 10 * S),
                new Fault.Block(120 * S, 1, 2, true, Fault.FOREVER),
                new Fault.Restart(121 * S, 0, 5),
                new Fault.Loss(130 * S, 0.2),
                new Fault.Duplicate(130 * S, 0.01),
                new Fault.Reorder(130 * S, 0.05, 10_000_000L),
                new Fault.LatencyChange(130 * S, new Latency.LogNormal(2_000_000L, 50_000_000L)))), s);
        assertEquals(s, Schedule.parse(s.toString()));
        assertEquals(s, Schedule.parse(s.toLine()));
    }

    @Test
    void errorsNameTheLineTheColumnAndWhatWasExpected() {
        assertError("at 30s crash three", "line 1, column 14: expected a node number (0, 1, 2...), found 'three'");
        assertError("at 30s crash 1\nat 3x pause 2 for 1s",
                "line 2, column 4: expected a time such as 30s (units ns, us, ms, s, m, h), found '3x'");
        assertError("at 30s pause 2", "line 1, column 15: expected 'for DURATION' (a pause must end; use crash for "
                + "ever), found the end of the statement");
        assertError("at 1s crash 1; in 2s crash 2", "line 1, column 16: expected a statement starting with "
                + "'at TIME', found 'in'");
        assertError("at 1s explode 1", "line 1, column 7: expected a fault: crash, restart, pause, slow, leave, "
                + "partition, block, loss, duplicate, reorder or latency, found 'explode'");
        assertError("at 1s slow 1 10", "line 1, column 14: expected a slow factor such as x10 or x2.5, found '10'");
        assertError("at 1s loss 1.5", "line 1, column 12: expected a probability in [0, 1) such as 0.05, found "
                + "'1.5'");
        assertError("at 1s block 1 => 2", "line 1, column 15: expected '->' (one direction) or '<->' (both), "
                + "found '=>'");
        assertError("at 1s partition 0-4 | 3-9", "line 1, column 7: node 3 is in two partition groups");
        assertError("at 1s crash 1 now", "line 1, column 15: expected the end of the statement (or ';'), found "
                + "'now'");
        assertError("at 1s restart 2 via 2", "line 1, column 7: a restarted node must join through another node, "
                + "not itself (2)");
    }

    @Test
    void validationNamesTheStatementAndTheClusterSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedule.parse("at 1s crash 12").validate(10));
        assertEquals("'at 1s crash 12' names node 12, but the cluster has 10 nodes (0-9)", e.getMessage());
    }

    @Test
    void printingThenParsingGivesTheSameSchedule() {
        qt().withExamples(300).forAll(schedules()).checkAssert(s -> {
            assertEquals(s, Schedule.parse(s.toString()), s.toString());
            assertEquals(s, Schedule.parse(s.toLine()), s.toLine());
        });
    }

    @Test
    void randomCrashesAreDistinctAndReproducible() {
        Schedule a = Schedule.randomCrashes(100, 10, 10 * S, 60 * S, 7);
        assertEquals(a, Schedule.randomCrashes(100, 10, 10 * S, 60 * S, 7));
        assertEquals(10, a.faults().stream().map(f -> ((Fault.Crash) f).node()).distinct().count());
    }

    private static void assertError(String text, String message) {
        ScheduleSyntaxException e = assertThrows(ScheduleSyntaxException.class, () -> Schedule.parse(text));
        assertEquals(message, e.getMessage());
    }

    static Gen<Schedule> schedules() {
        return SourceDSL.lists().of(faults()).ofSizeBetween(0, 8).map(Schedule::new);
    }

    static Gen<Fault> faults() {
        Gen<Long> at = SourceDSL.longs().between(0, 3_600_000).map(ms -> ms * 1_000_000L);
        Gen<Long> dur = SourceDSL.longs().between(1, 600_000).map(ms -> ms * 1_000_000L);
        Gen<Long> forOpt = dur.mix(Generate.constant(Fault.FOREVER), 30);
        Gen<Integer> node = SourceDSL.integers().between(0, 200);
        Gen<Double> p = SourceDSL.integers().between(0, 999).map(i -> i / 1000.0);
        Gen<Fault> crash = at.zip(node, Fault.Crash::new);
        Gen<Fault> restart = at.zip(node, node, (a, n, v) -> new Fault.Restart(a, n, v == n ? n + 1 : v));
        Gen<Fault> pause = at.zip(node, dur, Fault.Pause::new);
        Gen<Fault> slow = at.zip(node, SourceDSL.integers().between(10, 1000), forOpt,
                (a, n, f, d) -> new Fault.Slow(a, n, f / 10.0, d));
        Gen<Fault> leave = at.zip(node, Fault.Leave::new);
        Gen<Fault> partition = at.zip(SourceDSL.integers().between(1, 60), SourceDSL.integers().between(1, 4),
                forOpt, (a, size, parts, d) -> {
                    List<List<Integer>> groups = new ArrayList<>();
                    for (int g = 0; g < parts; g++) {
                        List<Integer> group = new ArrayList<>();
                        for (int i = g; i < size * parts; i += parts + (g % 2)) {
                            group.add(i);
                        }
                        if (!group.isEmpty()) {
                            groups.add(group);
                        }
                    }
                    return new Fault.Partition(a, dedupe(groups), d);
                });
        Gen<Fault> block = at.zip(node, SourceDSL.booleans().all(), forOpt,
                (a, n, both, d) -> new Fault.Block(a, n, n + 1, both, d));
        Gen<Fault> loss = at.zip(p, Fault.Loss::new);
        Gen<Fault> dup = at.zip(p, Fault.Duplicate::new);
        Gen<Fault> reorder = at.zip(p, dur, (a, q, d) -> new Fault.Reorder(a, q, d / 100));
        Gen<Fault> latency = at.zip(SourceDSL.integers().between(0, 3), dur,
                (a, k, d) -> new Fault.LatencyChange(a, switch (k) {
                    case 0 -> new Latency.Fixed(d / 1000);
                    case 1 -> new Latency.Uniform(d / 1000, d / 100);
                    case 2 -> new Latency.Normal(d / 1000, d / 3000);
                    default -> new Latency.LogNormal(d / 1000 + 1, d / 100 + 1);
                }));
        return crash.mix(restart).mix(pause).mix(slow).mix(leave).mix(partition).mix(block).mix(loss).mix(dup)
                .mix(reorder).mix(latency);
    }

    private static List<List<Integer>> dedupe(List<List<Integer>> groups) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        List<List<Integer>> out = new ArrayList<>();
        for (List<Integer> g : groups) {
            List<Integer> kept = new ArrayList<>();
            for (int i : g) {
                if (seen.add(i)) {
                    kept.add(i);
                }
            }
            if (!kept.isEmpty()) {
                out.add(kept);
            }
        }
        return out;
    }
}
