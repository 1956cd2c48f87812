package io.pulse.bench;

import io.pulse.transport.sim.Durations;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Renders scale results: a markdown table with one column per cluster size, the goals of issue 7 with met or
 * missed and the gap, and JSON. Pure functions of the results: no figure is written here that a run did not
 * measure; the goals are the constants.
 */
final class ScaleReport {

    /** Goal: delivered datagrams per wall second at n = 1,000. */
    static final double DELIVERED_PER_WALL_SECOND_GOAL = 1_000_000;
    /** Goal: n = 10,000 for 10 virtual minutes within this many wall seconds... */
    static final double WALL_SECONDS_GOAL_10K = 60;
    /** ...and within this heap. */
    static final long HEAP_GOAL_BYTES = 12L << 30;
    /** SWIM's messages per member per protocol period in a quiet cluster (a ping and an ack). */
    static final double SWIM_MESSAGES_PER_PERIOD = 2.0;
    /** pulse's goal for the same, quiet (targets.md). */
    static final double MESSAGES_PER_PERIOD_GOAL = 2.5;

    private static final long TEN_MINUTES_MS = 600_000;

    private ScaleReport() {
    }

    /** What was run, on what. */
    static String header(ScaleOptions o, String jvm) {
        String crashes = o.crashes() == 0 ? "no crash" : String.format(Locale.ROOT, "%d silent crash%s at seeded"
                + " times in [10%%, 60%%) of the run", o.crashes(), o.crashes() == 1 ? "" : "es");
        return String.format(Locale.ROOT, "%nScale runner: LAN preset, LAN network with %s packet loss, %s, %s"
                        + " virtual, seed %d%s; each size %s.%nJVM: %s%n%n", percent(o.loss()), crashes,
                Durations.format(o.durationNs()), o.seed(),
                o.directMonitorThreshold() < 0 ? "" : ", direct-monitor threshold " + o.directMonitorThreshold(),
                o.inProcess() ? "in this JVM" : "in a fresh JVM", jvm);
    }

    /** One row per figure, one column per size. */
    static String table(List<ScaleResult> rs) {
        StringBuilder sb = new StringBuilder();
        StringJoiner head = new StringJoiner(" | ", "| figure | ", " |\n");
        StringJoiner rule = new StringJoiner("|", "|---|", "|\n");
        for (ScaleResult r : rs) {
            head.add(String.format(Locale.ROOT, "n = %,d", r.nodes()));
            rule.add("---");
        }
        sb.append(head).append(rule);
        row(sb, rs, "mode", r -> r.hybrid() ? "hybrid (every member monitored directly)" : "SWIM probing");
        row(sb, rs, "virtual time", r -> String.format(Locale.ROOT, "%,.0f s", r.virtualSeconds()));
        row(sb, rs, "wall time (of which build with full membership + first virtual s)",
                r -> String.format(Locale.ROOT, "%.1f s (%.1f s)", r.wallSeconds(), r.startupWallSeconds()));
        row(sb, rs, "wall s per virtual s", r -> String.format(Locale.ROOT, "%.4f", r.wallPerVirtualSecond()));
        row(sb, rs, "delivered datagrams per wall s", r -> String.format(Locale.ROOT, "%,.0f",
                r.deliveredPerWallSecond()));
        row(sb, rs, "events per wall s", r -> String.format(Locale.ROOT, "%,.0f", r.eventsPerWallSecond()));
        row(sb, rs, "events / delivered / lost", r -> String.format(Locale.ROOT, "%,d / %,d / %,d", r.events(),
                r.delivered(), r.lost()));
        row(sb, rs, "process CPU; collections (GC time)", r -> String.format(Locale.ROOT, "%.1f s; %,d (%.1f s)",
                r.cpuSeconds(), r.gcCount(), r.gcSeconds()));
        row(sb, rs, "peak heap used (of -Xmx)", r -> bytes(r.peakHeapBytes()) + " (of " + bytes(r.maxHeapBytes())
                + ")");
        row(sb, rs, "live heap at the end, after a full GC (before the run)", r -> bytes(r.liveHeapBytes())
                + " (" + bytes(r.baselineHeapBytes()) + ")");
        row(sb, rs, "member entries held (Σ known members)", r -> String.format(Locale.ROOT, "%,d",
                r.memberEntries()));
        row(sb, rs, "bytes per member entry", r -> Double.isNaN(r.bytesPerMemberEntry()) ? "unknown"
                : String.format(Locale.ROOT, "%,.0f", r.bytesPerMemberEntry()));
        row(sb, rs, "crashes declared DEAD by every survivor", r -> r.detected() + " of " + r.crashes());
        row(sb, rs, "first DEAD after the crash, p50", r -> time(r, r.firstDeadP50Ms()));
        row(sb, rs, "first DEAD after the crash, p99", r -> time(r, r.firstDeadP99Ms()));
        row(sb, rs, "goal for first DEAD p50: e/(e−1) periods + suspicion min", r -> String.format(Locale.ROOT,
                "%.2f + %.2f = %.2f periods", ScaleResult.SWIM_FIRST_PROBE_PERIODS,
                (double) r.suspicionMinMs() / r.probeIntervalMs(), r.firstDeadBoundMs() / r.probeIntervalMs()));
        row(sb, rs, "every survivor knows, p50", r -> time(r, r.allKnowP50Ms()));
        row(sb, rs, "every survivor knows, p99", r -> time(r, r.allKnowP99Ms()));
        row(sb, rs, "first DEAD to every survivor, p50", r -> time(r, r.spreadP50Ms()));
        row(sb, rs, "false positives / false suspicions (each counted per declaring member)", r -> r.falsePositives() + " / " + r.falseSuspicions());
        row(sb, rs, "messages sent per member per s (busiest member)", r -> String.format(Locale.ROOT,
                "%.2f (%.2f)", r.messagesPerMemberPerSecond(), r.messagesPerMemberPerSecondMax()));
        row(sb, rs, "messages sent per member per protocol period", r -> String.format(Locale.ROOT, "%.2f",
                r.messagesPerMemberPerPeriod()));
        row(sb, rs, "bytes sent per member per s (busiest member)", r -> String.format(Locale.ROOT,
                "%,.0f (%,.0f)", r.bytesPerMemberPerSecond(), r.bytesPerMemberPerSecondMax()));
        row(sb, rs, "trace digest", r -> "`" + r.digest() + "`");
        return sb.toString();
    }

    /** The goals that these runs can judge, each met or missed with the gap. */
    static String goals(List<ScaleResult> rs) {
        StringBuilder sb = new StringBuilder("| goal (issue 7) | measured | verdict |\n|---|---|---|\n");
        for (ScaleResult r : rs) {
            if (r.nodes() == 1000) {
                double v = r.deliveredPerWallSecond();
                sb.append(String.format(Locale.ROOT, "| simulator ≥ 1,000,000 delivered datagrams per wall s at"
                                + " n = 1,000 | %,.0f (%s virtual, loss %s) | %s |%n", v,
                        Durations.format(r.durationMs() * 1_000_000L), percent(r.loss()),
                        v >= DELIVERED_PER_WALL_SECOND_GOAL ? "**met**" : String.format(Locale.ROOT,
                                "**missed**: %.2f× short (%.0f%% of the goal)", DELIVERED_PER_WALL_SECOND_GOAL / v,
                                100 * v / DELIVERED_PER_WALL_SECOND_GOAL)));
            }
            if (r.nodes() == 10_000 && r.durationMs() == TEN_MINUTES_MS) {
                double w = r.wallSeconds();
                sb.append(String.format(Locale.ROOT, "| n = 10,000 for 10 virtual min ≤ 60 s wall | %.1f s | %s |%n",
                        w, w <= WALL_SECONDS_GOAL_10K ? "**met**" : String.format(Locale.ROOT,
                                "**missed**: %.2f× over (+%.0f s)", w / WALL_SECONDS_GOAL_10K,
                                w - WALL_SECONDS_GOAL_10K)));
                long p = r.peakHeapBytes();
                sb.append(String.format(Locale.ROOT, "| … in ≤ 12 GB heap | peak used %s, -Xmx %s | %s |%n",
                        bytes(p), bytes(r.maxHeapBytes()), p <= HEAP_GOAL_BYTES ? String.format(Locale.ROOT,
                                "**met** (%s to spare)", bytes(HEAP_GOAL_BYTES - p))
                                : String.format(Locale.ROOT, "**missed** by %s", bytes(p - HEAP_GOAL_BYTES))));
            }
        }
        for (ScaleResult r : rs) {
            if (r.crashes() == 0) {
                continue;
            }
            double bound = r.firstDeadBoundMs();
            long p50 = r.firstDeadP50Ms();
            String verdict = p50 < 0 ? "no crash declared DEAD"
                    : p50 <= bound ? String.format(Locale.ROOT, "**met** (%.2f periods to spare)",
                    (bound - p50) / r.probeIntervalMs())
                    : String.format(Locale.ROOT, "**missed** by %.2f periods (%.2f s)",
                    (p50 - bound) / r.probeIntervalMs(), (p50 - bound) / 1000);
            sb.append(String.format(Locale.ROOT, "| first DEAD p50 ≤ e/(e−1) periods + suspicion min, n = %,d%s"
                            + " | %s against %.2f periods | %s |%n", r.nodes(), r.hybrid() ? " (hybrid mode)" : "",
                    time(r, p50), bound / r.probeIntervalMs(), verdict));
        }
        for (ScaleResult r : rs) {
            double m = r.messagesPerMemberPerPeriod();
            boolean quiet = r.loss() == 0 && r.crashes() == 0;
            String verdict = !quiet
                    ? String.format(Locale.ROOT, "— (not a quiet cluster: loss %s, %d crashes; %.2f× SWIM's quiet"
                    + " figure)", percent(r.loss()), r.crashes(), m / SWIM_MESSAGES_PER_PERIOD)
                    : m <= MESSAGES_PER_PERIOD_GOAL ? String.format(Locale.ROOT, "**met** (%.2f× SWIM's)",
                    m / SWIM_MESSAGES_PER_PERIOD)
                    : String.format(Locale.ROOT, "**missed** by %.2f per period (%.2f× SWIM's)",
                    m - MESSAGES_PER_PERIOD_GOAL, m / SWIM_MESSAGES_PER_PERIOD);
            sb.append(String.format(Locale.ROOT, "| messages per member per period, quiet: SWIM ≈ 2, pulse ≤ 2.5,"
                    + " n = %,d%s | %.2f | %s |%n", r.nodes(), r.hybrid() ? " (hybrid mode)" : "", m, verdict));
        }
        return sb.toString();
    }

    /** Options, JVM and every result, as one JSON document. */
    static String json(ScaleOptions o, String jvm, List<ScaleResult> rs) {
        StringJoiner results = new StringJoiner(",\n    ", "[\n    ", "\n  ]");
        rs.forEach(r -> results.add(r.toJson()));
        return String.format(Locale.ROOT, "{%n  \"runner\": \"io.pulse.bench.ScaleRunner\",%n  \"jvm\": \"%s\",%n"
                        + "  \"preset\": \"lan\",%n  \"durationNs\": %d,%n  \"loss\": %s,%n  \"crashes\": %d,%n"
                        + "  \"seed\": %d,%n  \"results\": %s%n}%n", jvm.replace("\\", "\\\\").replace("\"", "\\\""),
                o.durationNs(), o.loss(), o.crashes(), o.seed(), rs.isEmpty() ? "[]" : results.toString());
    }

    private static void row(StringBuilder sb, List<ScaleResult> rs, String name, Function<ScaleResult, String> f) {
        StringJoiner j = new StringJoiner(" | ", "| " + name + " | ", " |\n");
        rs.forEach(r -> j.add(f.apply(r)));
        sb.append(j);
    }

    private static String time(ScaleResult r, long ms) {
        if (r.crashes() == 0) {
            return "— (no crash)";
        }
        return ms < 0 ? "never" : String.format(Locale.ROOT, "%.2f s = %.2f periods", ms / 1000.0, r.periods(ms));
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%s%%", new java.math.BigDecimal(Double.toString(p * 100))
                .stripTrailingZeros().toPlainString());
    }

    /** Bytes in GiB or MiB, two decimals; "unknown" for -1. */
    static String bytes(long b) {
        if (b < 0) {
            return "unknown";
        }
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }
}
