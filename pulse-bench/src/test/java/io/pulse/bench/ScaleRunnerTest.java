package io.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A smoke test, not a measurement: the scale runner starts, runs a tiny cluster for a few virtual seconds (in this
 * JVM, and in a fresh JVM as the real command does), and prints its table; bad flags are refused with one line
 * that names the flag and what it accepts. No figure is asserted: tests never assert a wall-clock duration.
 */
class ScaleRunnerTest {

    @Test
    void runsATinyClusterInThisJvmAndPrintsTheTable() {
        Output o = run("--nodes", "12,20", "--duration", "20s", "--crashes", "1", "--seed", "3", "--in-process");
        assertEquals(0, o.status, o.err);
        assertTrue(o.out.contains("| figure | n = 12 | n = 20 |"), o.out);
        assertTrue(o.out.contains("| crashes declared DEAD by every survivor |"), o.out);
        assertTrue(o.out.contains("| bytes per member entry |"), o.out);
        assertTrue(o.out.contains("| goal (issue 7) | measured | verdict |"), o.out);
    }

    @Test
    void runsEachSizeInAFreshJvm() {
        Output o = run("--nodes", "8", "--duration", "5s", "--crashes", "0");
        assertEquals(0, o.status, o.err);
        assertTrue(o.out.contains("| figure | n = 8 |"), o.out);
        assertTrue(o.out.contains("each size in a fresh JVM"), o.out);
    }

    @Test
    void aResultLineReadsBackAsItWasWritten() {
        ScaleResult r = new ScaleResult(1000, 600_000, 0.01, 5, 1, false, 1000, 9000, 12.5, 1.25, 20.0, 7, 0.5,
                "PS_Scavenge+PS_MarkSweep", 12L << 30, 3L << 30, 10L << 20, 2L << 30, 1_000_000, 3_000_000,
                1_500_000, 15_000, "00ff00ff00ff00ff", 5, 10_200, 11_100, -1, -1, -1, 0, 2, 2.6, 3.1, 558.0, 900.5);
        assertEquals(r, ScaleResult.parseLine(r.toLine()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--loss 1.5                 | --loss must be a probability in [0, 1), was 1.5",
        "--loss x                   | --loss must be a probability in [0, 1), was 'x'",
        "--nodes 100,1              | --nodes must be in [2, 1048576], was 1",
        "--nodes 10 --crashes 10    | --crashes must be in [0, 9]",
        "--nodes 5                  | --crashes must be in [0, 4] (fewer than the smallest of --nodes, 5), was 5"
                + " (the default)",
        "--duration 0s              | --duration must be in [1s, 24h], was 0s",
        "--duration ten             | --duration must be a duration in [1s, 24h] such as 10m or 90s, was 'ten'",
        "--seed 1.5                 | --seed must be an integer",
        "--direct-monitor-threshold -1 | --direct-monitor-threshold must be in [0, 100000], was -1",
        "--nodes                    | --nodes needs a value",
        "--frobnicate               | unknown flag '--frobnicate'; accepted: --nodes",
    })
    void aBadFlagIsRefusedInOneLineNamingTheFlag(String args, String expected) {
        Output o = run(args.trim().split(" +"));
        assertEquals(2, o.status, o.out);
        assertEquals(1, o.err.lines().count(), o.err);
        assertTrue(o.err.startsWith("ScaleRunner: "), o.err);
        assertTrue(o.err.contains(expected), o.err);
        assertEquals("", o.out);
    }

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = ScaleRunner.run(args, o, e);
        }
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Output(int status, String out, String err) {
    }
}
