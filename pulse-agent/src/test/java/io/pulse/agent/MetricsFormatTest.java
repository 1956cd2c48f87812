package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import io.pulse.api.State;
import io.pulse.api.Status;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} is valid Prometheus text exposition (format 0.0.4): checked by {@code promtool check metrics}
 * when promtool is installed, and always by the checks below, which follow the format's specification.
 */
class MetricsFormatTest {

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern TYPE = Pattern.compile(
            "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})?"
                    + " (\\S+)( -?\\d+)?");

    /** Fails unless {@code text} is valid exposition text; also runs promtool when it is installed. */
    static void assertValidExposition(String text) {
        assertTrue(text.endsWith("\n"), "ends with a newline");
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> series = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String current = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher h = HELP.matcher(line);
            Matcher t = TYPE.matcher(line);
            Matcher s = SAMPLE.matcher(line);
            if (h.matches()) {
                assertTrue(helped.add(h.group(1)), "one HELP per family: " + line);
            } else if (t.matches()) {
                assertTrue(!types.containsKey(t.group(1)), "one TYPE per family: " + line);
                types.put(t.group(1), t.group(2));
                if (current != null) {
                    finished.add(current);
                }
                current = t.group(1);
            } else if (line.startsWith("#")) {
                fail("a comment that is neither HELP nor TYPE: " + line);
            } else if (s.matches()) {
                String name = s.group(1);
                String family = familyOf(name, types);
                assertTrue(family != null, "a sample before its TYPE line: " + line);
                assertTrue(!finished.contains(family), "samples of one family are contiguous: " + line);
                assertEquals(family, current, "a sample under another family's TYPE: " + line);
                if (types.get(family).equals("counter")) {
                    assertTrue(name.endsWith("_total") || name.endsWith("_created"), "counter sample: " + line);
                }
                String value = s.group(4);
                if (!Set.of("+Inf", "-Inf", "NaN").contains(value)) {
                    double v = Double.parseDouble(value);
                    if (types.get(family).equals("counter")) {
                        assertTrue(v >= 0, "counters are not negative: " + line);
                    }
                }
                assertTrue(series.add(name + "{" + (s.group(3) == null ? "" : s.group(3)) + "}"),
                        "a series appears once: " + line);
            } else {
                fail("not a HELP, TYPE or sample line: '" + line + "'");
            }
        }
        assertTrue(!types.isEmpty(), "some metrics");
        promtool(text);
    }

    private static String familyOf(String sample, Map<String, String> types) {
        for (String suffix : List.of("", "_total", "_created", "_count", "_sum", "_bucket")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
                if (suffix.equals("_total") && types.containsKey(sample)) {
                    return sample;
                }
            }
        }
        return types.containsKey(sample) ? sample : null;
    }

    /** Runs {@code promtool check metrics} on the text if promtool is on the PATH. */
    static boolean promtool(String text) {
        Optional<String> tool = onPath("promtool");
        if (tool.isEmpty()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(tool.get(), "check", "metrics").redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
            assertEquals(0, p.exitValue(), "promtool check metrics:\n" + output);
            return true;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Optional<String> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return Optional.of(f.getPath());
            }
        }
        return Optional.empty();
    }

    private static Status status(int i, State state, boolean rtt) {
        Optional<Duration> d = rtt ? Optional.of(Duration.ofNanos((100 + i) * 1000L)) : Optional.empty();
        return new Status(Identifier.parse("127.0.0.1:" + (7000 + i)), state, i, d, d,
                Optional.of(Instant.EPOCH), Optional.of(Instant.EPOCH), Metadata.EMPTY);
    }

    private static Map<String, Long> counters(long v) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String c : PulseMetrics.mappedCounterNames()) {
            m.put(c, v);
        }
        m.put("dropped.badMagic", v);
        m.put("dropped.truncated", v + 1);
        m.put("transport.dropped.badMagic", v + 2);
        m.put("transport.dropped.sendBufferFull", v);
        m.put("localHealth", 3L);
        m.put("pendingBroadcasts", 0L);
        m.put("rttP99Us", 1500L);
        m.put("somethingNew", 9L);
        return m;
    }

    @Test
    void everyMappedCounterAndGaugeAppears() {
        List<Status> statuses = List.of(status(1, State.ALIVE, true), status(2, State.SUSPECT, true),
                status(3, State.DEAD, false), status(4, State.LEFT, false));
        String text = new PulseMetrics("127.0.0.1:7000", "FULL", () -> counters(42), () -> statuses).scrape();
        assertValidExposition(text);
        assertTrue(text.contains("pulse_probes_sent_total 42.0"), text);
        assertTrue(text.contains("pulse_false_suspicions_refuted_total 42.0"), text);
        assertTrue(text.contains("pulse_sent_bytes_total 42.0"), text);
        assertTrue(text.contains("pulse_dropped_datagrams_total{layer=\"protocol\",reason=\"truncated\"} 43.0"), text);
        assertTrue(text.contains("pulse_dropped_datagrams_total{layer=\"transport\",reason=\"badMagic\"} 44.0"), text);
        assertTrue(text.contains("pulse_members{state=\"suspect\"} 1.0"), text);
        assertTrue(text.contains("pulse_members{state=\"pending\"} 0.0"), text);
        assertTrue(text.contains("pulse_local_health 3.0"), text);
        assertTrue(text.contains("pulse_rtt_p99_seconds 0.0015"), text);
        assertTrue(text.contains("pulse_member_rtt_seconds{member=\"127.0.0.1:7001\"} 1.01E-4")
                || text.contains("pulse_member_rtt_seconds{member=\"127.0.0.1:7001\"} 1.01e-04"), text);
        assertTrue(!text.contains("member=\"127.0.0.1:7003\""), "no RTT series for a member never measured");
        assertTrue(!text.contains("somethingNew"), "unknown counters are not guessed at");
        for (String c : PulseMetrics.mappedCounterNames()) {
            assertTrue(!c.isEmpty());
        }
    }

    @Test
    void anyCountersAndMembershipGiveValidText() {
        qt().withExamples(40).forAll(longs().between(0, Long.MAX_VALUE / 4), integers().between(0, 30))
                .checkAssert((value, members) -> {
                    List<Status> statuses = new ArrayList<>();
                    for (int i = 0; i < members; i++) {
                        statuses.add(status(i, State.values()[i % State.values().length], i % 3 != 0));
                    }
                    String text = new PulseMetrics("[::1]:7946", "COORDINATOR", () -> counters(value),
                            () -> statuses).scrape();
                    assertValidExposition(text);
                    assertTrue(text.contains("role=\"coordinator\""));
                });
    }
}
