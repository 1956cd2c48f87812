package io.pulse.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What one scale run measured, as recorded (derived figures are methods). A child JVM prints it as one line
 * ({@link #toLine()}) and the parent reads it back ({@link #parseLine(String)}); the JSON names are the component
 * names. A time that never happened (no crash declared DEAD) is -1; a heap figure the JVM could not give is -1.
 *
 * @param nodes                       cluster size
 * @param durationMs                  virtual time run, ms
 * @param loss                        independent packet loss
 * @param crashes                     silent crashes scheduled
 * @param seed                        master seed
 * @param hybrid                      whether the nodes ran the hybrid mode (direct monitoring of every member, no
 *                                    suspicion phase) rather than SWIM probing alone
 * @param probeIntervalMs             the protocol period
 * @param suspicionMinMs              Lifeguard's minimum suspicion timeout at this size (the engine's formula)
 * @param wallSeconds                 wall time of the run: building the cluster with full membership, then every
 *                                    virtual second
 * @param startupWallSeconds          of which: building the cluster and the first virtual second
 * @param cpuSeconds                  process CPU time over the run (every thread: the simulation's and the
 *                                    collector's)
 * @param gcCount                     collections during the run
 * @param gcSeconds                   time the collectors report for them
 * @param collectors                  the JVM's collectors, e.g. {@code PS_Scavenge+PS_MarkSweep}
 * @param maxHeapBytes                the JVM's maximum heap ({@code -Xmx}, {@code MaxHeapSize})
 * @param peakHeapBytes               peak used heap during the run (see {@link HeapWatch})
 * @param baselineHeapBytes           live heap before the cluster was built (after a full collection)
 * @param liveHeapBytes               live heap at the end, with the cluster still reachable (after a full
 *                                    collection)
 * @param memberEntries               member-table entries held at the end, summed over the nodes (each node's
 *                                    {@code knownMembers()}, itself included): about n²
 * @param events                      simulator events processed
 * @param delivered                   datagrams delivered
 * @param lost                        datagrams lost
 * @param digest                      the trace digest (same spec, same digest)
 * @param detected                    crashes declared DEAD by every member live throughout
 * @param firstDeadP50Ms              time from a crash to the first DEAD declaration, median over the crashes
 * @param firstDeadP99Ms              the same, 99th percentile (nearest rank)
 * @param allKnowP50Ms                time from a crash until every survivor had declared it DEAD, median
 * @param allKnowP99Ms                the same, 99th percentile
 * @param spreadP50Ms                 from the first DEAD until every survivor knew, median over the crashes
 * @param falsePositives              DEAD declarations about live members that the declarer could hear (the run
 *                                    report's referee), one per declaring member
 * @param falseSuspicions             SUSPECT declarations about live members, one per declaring member (a
 *                                    suspicion gossiped to k members before its refutation counts k)
 * @param messagesPerMemberPerSecond  datagrams sent per member per virtual second, mean over members
 * @param messagesPerMemberPerSecondMax the busiest member's
 * @param bytesPerMemberPerSecond     bytes sent per member per virtual second, mean over members
 * @param bytesPerMemberPerSecondMax  the busiest member's
 */
record ScaleResult(int nodes, long durationMs, double loss, int crashes, long seed, boolean hybrid,
                   long probeIntervalMs, long suspicionMinMs,
                   double wallSeconds, double startupWallSeconds, double cpuSeconds, long gcCount, double gcSeconds,
                   String collectors, long maxHeapBytes, long peakHeapBytes, long baselineHeapBytes,
                   long liveHeapBytes, long memberEntries,
                   long events, long delivered, long lost, String digest,
                   int detected, long firstDeadP50Ms, long firstDeadP99Ms, long allKnowP50Ms, long allKnowP99Ms,
                   long spreadP50Ms, int falsePositives, int falseSuspicions,
                   double messagesPerMemberPerSecond, double messagesPerMemberPerSecondMax,
                   double bytesPerMemberPerSecond, double bytesPerMemberPerSecondMax) {

    /** SWIM's expected periods until some member first probes a failed one: e/(e−1). */
    static final double SWIM_FIRST_PROBE_PERIODS = Math.E / (Math.E - 1);

    private static final String PREFIX = "RESULT ";

    /** Virtual seconds run. */
    double virtualSeconds() {
        return durationMs / 1000.0;
    }

    /** Wall seconds per virtual second (below 1: faster than real time). */
    double wallPerVirtualSecond() {
        return wallSeconds / virtualSeconds();
    }

    /** Delivered datagrams per wall second: the simulator's speed. */
    double deliveredPerWallSecond() {
        return delivered / wallSeconds;
    }

    /** Events per wall second. */
    double eventsPerWallSecond() {
        return events / wallSeconds;
    }

    /**
     * Retained heap per member entry: (live heap at the end − live heap before) / entries, or NaN if unknown. An
     * upper bound on what one entry costs: it also carries each node's fixed state (timers, queues, buffers, RTT
     * histograms) and the simulator's, spread over the n entries of each node, which matters at small n only.
     */
    double bytesPerMemberEntry() {
        if (liveHeapBytes < 0 || baselineHeapBytes < 0 || memberEntries <= 0) {
            return Double.NaN;
        }
        return (double) (liveHeapBytes - baselineHeapBytes) / memberEntries;
    }

    /** The detection goal: e/(e−1) protocol periods plus the minimum suspicion timeout, ms. */
    double firstDeadBoundMs() {
        return SWIM_FIRST_PROBE_PERIODS * probeIntervalMs + suspicionMinMs;
    }

    /** Mean datagrams sent per member per protocol period. */
    double messagesPerMemberPerPeriod() {
        return messagesPerMemberPerSecond * probeIntervalMs / 1000.0;
    }

    /** Milliseconds as protocol periods, or NaN for -1. */
    double periods(long ms) {
        return ms < 0 ? Double.NaN : (double) ms / probeIntervalMs;
    }

    /** One line, {@code RESULT name=value ...}, no value containing a space. */
    String toLine() {
        StringJoiner j = new StringJoiner(" ", PREFIX, "");
        for (RecordComponent c : ScaleResult.class.getRecordComponents()) {
            String v = String.valueOf(value(c));
            if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalStateException(c.getName() + " cannot be written on one line: '" + v + "'");
            }
            j.add(c.getName() + "=" + v);
        }
        return j.toString();
    }

    /** Whether {@code line} is a result line. */
    static boolean isResultLine(String line) {
        return line.startsWith(PREFIX);
    }

    /**
     * Reads a line written by {@link #toLine()}.
     *
     * @throws IllegalArgumentException naming the component that is missing or malformed
     */
    static ScaleResult parseLine(String line) {
        if (!isResultLine(line)) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        Map<String, String> kv = new HashMap<>();
        for (String pair : line.substring(PREFIX.length()).trim().split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                kv.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        RecordComponent[] cs = ScaleResult.class.getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            String name = cs[i].getName();
            String v = kv.get(name);
            if (v == null) {
                throw new IllegalArgumentException("result line lacks " + name + ": " + line);
            }
            types[i] = cs[i].getType();
            try {
                args[i] = switch (types[i].getName()) {
                    case "int" -> Integer.parseInt(v);
                    case "long" -> Long.parseLong(v);
                    case "double" -> Double.parseDouble(v);
                    case "boolean" -> Boolean.parseBoolean(v);
                    default -> v;
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("result line has a malformed " + name + ": '" + v + "'");
            }
        }
        try {
            return ScaleResult.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild a ScaleResult", e);
        }
    }

    /** The figures as one JSON object: every component, then the derived figures. */
    String toJson() {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        for (RecordComponent c : ScaleResult.class.getRecordComponents()) {
            j.add(jsonPair(c.getName(), value(c)));
        }
        j.add(jsonPair("virtualSeconds", virtualSeconds()));
        j.add(jsonPair("wallPerVirtualSecond", wallPerVirtualSecond()));
        j.add(jsonPair("deliveredPerWallSecond", deliveredPerWallSecond()));
        j.add(jsonPair("eventsPerWallSecond", eventsPerWallSecond()));
        j.add(jsonPair("bytesPerMemberEntry", bytesPerMemberEntry()));
        j.add(jsonPair("firstDeadP50Periods", periods(firstDeadP50Ms)));
        j.add(jsonPair("firstDeadP99Periods", periods(firstDeadP99Ms)));
        j.add(jsonPair("allKnowP50Periods", periods(allKnowP50Ms)));
        j.add(jsonPair("allKnowP99Periods", periods(allKnowP99Ms)));
        j.add(jsonPair("firstDeadBoundPeriods", firstDeadBoundMs() / probeIntervalMs));
        j.add(jsonPair("messagesPerMemberPerPeriod", messagesPerMemberPerPeriod()));
        return j.toString();
    }

    private Object value(RecordComponent c) {
        try {
            return c.getAccessor().invoke(this);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    private static String jsonPair(String name, Object v) {
        String value;
        if (v instanceof String s) {
            value = '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        } else if (v instanceof Double d) {
            value = d.isNaN() || d.isInfinite() ? "null" : Double.toString(d);
        } else if (v instanceof Long l && l < 0 && (name.endsWith("Ms") || name.endsWith("Bytes"))) {
            value = "null";
        } else {
            value = String.valueOf(v);
        }
        return '"' + name + "\": " + value;
    }
}
