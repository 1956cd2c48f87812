package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code pulse demo} runs in the suite: it is short, and it is the newcomer's first command. */
class DemoCommandTest {

    @Test
    void theDemoShowsTheCrashDetectedByEverySurvivorAndLeavesNothingRunning() throws Exception {
        Cli.Result r = Cli.run(new DemoCommand());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().isEmpty(), r.err());
        String out = r.out();
        assertTrue(out.contains("config: PulseConfig.local() with a 200ms probe interval"), out);
        assertTrue(out.contains("converged: every node sees all 5 members"), out);
        assertTrue(out.contains("round-trip times measured"), out);
        assertTrue(out.contains("CRASH: node 5"), out);
        for (int survivor = 1; survivor <= 4; survivor++) {
            Pattern dead = Pattern.compile("\\+\\d+\\.\\d{3}s  node " + survivor + " \\(127\\.0\\.0\\.1:\\d+\\) "
                    + "declares it DEAD");
            assertTrue(dead.matcher(out).find(), "survivor " + survivor + " declared it dead:\n" + out);
        }
        Matcher rows = Pattern.compile("(?m)^  node [1-4] +127\\.0\\.0\\.1:\\d+ +(\\S+s|\\(by gossip\\)) +\\d+\\.\\d{3}s "
                + "+\\d+\\.\\d{3}ms").matcher(out);
        int count = 0;
        while (rows.find()) {
            count++;
        }
        assertEquals(4, count, "one summary row per survivor:\n" + out);
        assertTrue(out.contains("nothing left running"), out);
        List<String> ports = Pattern.compile("listening on udp 127\\.0\\.0\\.1:(\\d+)").matcher(out).results()
                .map(m -> m.group(1)).toList();
        assertEquals(5, ports.size(), out);
        Cli.await("none of the demo's threads is left", () -> threadsOf(ports).isEmpty());
    }

    /** The demo's nodes' threads: {@code pulse-loop-<port>}, {@code pulse-udp-<port>}, {@code pulse-events-<port>}. */
    private static List<String> threadsOf(List<String> ports) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> ports.stream().anyMatch(p -> n.equals("pulse-loop-" + p) || n.equals("pulse-udp-" + p)
                        || n.equals("pulse-events-" + p)))
                .toList();
    }

    @Test
    void aBadNodeCountExits2() {
        Cli.Result r = Cli.run(new DemoCommand(), "--nodes", "2");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--nodes") && r.err().contains("[3, 12]"), r.err());
    }

    @Test
    void helpHasExamples() {
        Cli.Result r = Cli.run(new DemoCommand(), "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Examples:") && r.out().contains("./pulse demo"), r.out());
    }
}
