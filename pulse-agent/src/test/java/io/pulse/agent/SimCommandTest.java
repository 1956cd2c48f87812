package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pulse sim}: its JSON, its HTML page, and its answers to bad values. */
class SimCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasEveryDocumentedField() throws Exception {
        Result r = run("sim", "--nodes", "20", "--duration", "90s", "--crash", "2", "--seed", "4",
                "--direct-monitor-threshold", "0", "--faults", "at 20s partition 0-9 | 10-19 for 2s", "--json",
                "--no-progress");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> m = JSON.std.mapFrom(r.out());
        for (String field : List.of("seed", "nodes", "virtualSeconds", "wallSeconds", "events", "digest",
                "falsePositives", "falseSuspicions", "undetected", "failures", "detection",
                "messagesPerMemberPerSecond", "bytesPerMemberPerSecond", "convergenceMs", "delivered", "lost",
                "deliveredPerWallSecond", "falseAlarms", "falseAlarmsNotListed", "config", "faults", "schedule", "replay", "timeline",
                "detectionLatenciesMs")) {
            assertTrue(m.containsKey(field), field + " in " + m.keySet());
        }
        assertEquals(4, ((Number) m.get("seed")).intValue());
        assertEquals(20, ((Number) m.get("nodes")).intValue());
        assertTrue(((String) m.get("digest")).matches("[0-9a-f]{16}"));
        List<Map<String, Object>> failures = (List<Map<String, Object>>) m.get("failures");
        assertEquals(2, failures.size());
        for (Map<String, Object> f : failures) {
            assertEquals(List.of("node", "atMs", "firstSuspectMs", "firstDeadMs", "allKnowMs", "knew", "ofLive"),
                    List.copyOf(f.keySet()));
        }
        Map<String, Object> d = (Map<String, Object>) m.get("detection");
        for (String field : List.of("firstDeadP50Ms", "firstDeadP99Ms", "allKnowP50Ms", "allKnowP99Ms")) {
            assertTrue(d.containsKey(field), field);
        }
        assertEquals(1, ((List<?>) m.get("convergenceMs")).size());
        // same flags, same run
        Map<String, Object> again = JSON.std.mapFrom(run("sim", "--nodes", "20", "--duration", "90s", "--crash",
                "2", "--seed", "4", "--direct-monitor-threshold", "0", "--faults",
                "at 20s partition 0-9 | 10-19 for 2s", "--json", "--no-progress").out());
        assertEquals(m.get("digest"), again.get("digest"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailureThatNeverHappenedIsNull() throws Exception {
        Result r = run("sim", "--nodes", "10", "--duration", "20s", "--faults", "at 19s crash 3", "--json",
                "--no-progress");
        Map<String, Object> f = ((List<Map<String, Object>>) JSON.std.mapFrom(r.out()).get("failures")).get(0);
        assertNull(f.get("firstDeadMs"));
        assertNull(f.get("allKnowMs"));
        assertEquals(1, ((Number) JSON.std.mapFrom(r.out()).get("undetected")).intValue());
    }

    @Test
    void theHtmlReportIsSelfContained(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("r.html");
        Result r = run("sim", "--nodes", "15", "--duration", "60s", "--crash", "1", "--report", page.toString(),
                "--no-progress");
        assertEquals(0, r.exit(), r.err());
        String html = Files.readString(page);
        assertTrue(html.contains("uPlot"), "the charting library is inlined");
        assertFalse(html.contains("src=\"http"), "nothing is loaded from the network");
        assertFalse(html.contains("<link"), "no external style sheet");
        assertTrue(html.contains("\"replay\":\"./pulse sim --nodes 15"));
        assertTrue(r.out().contains("report: "));
    }

    @Test
    void badValuesGetOneLineNamingTheFlagAndExitTwo() {
        String[][] cases = {
            {"--nodes", "0"}, {"--nodes", "many"}, {"--duration", "10 minutes"}, {"--loss", "1.5"},
            {"--latency", "gaussian:3ms"}, {"--preset", "moon"}, {"--crash", "100"}, {"--slow-factor", "0.5"},
            {"--local-health", "maybe"}, {"--faults", "at 1s crash x"}, {"--schedule", "/no/such/file"},
        };
        for (String[] c : cases) {
            Result r = run("sim", c[0], c[1]);
            assertEquals(2, r.exit(), String.join(" ", c));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c[0]), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void theSummaryEndsWithTheReplayLine() {
        Result r = run("sim", "--nodes", "10", "--duration", "30s", "--seed", "9", "--no-progress");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("replay: ./pulse sim --nodes 10 --seed 9 --duration 30s"), r.out());
    }
}
