package io.pulse.bench;

import io.pulse.api.PulseConfig;
import io.pulse.engine.internal.Formulas;
import io.pulse.transport.sim.RunReport;
import io.pulse.transport.sim.RunSpec;
import io.pulse.transport.sim.Runner;
import io.pulse.transport.sim.Schedule;
import io.pulse.transport.sim.Simulation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The scale runner: the simulator at n = 100, 1,000 and 10,000 (by default), LAN preset, 1% packet loss, 5 silent
 * crashes at seeded times between 10% and 60% of the run, 10 virtual minutes, each size in a fresh JVM; prints one
 * markdown table of the figures issue 7 asks for, and the goals they are measured against.
 *
 * <pre>
 * java -Xmx12g -XX:+UseParallelGC -cp pulse-bench/target/benchmarks.jar io.pulse.bench.ScaleRunner \
 *      --nodes 100,1000,10000 --duration 10m --loss 0.01 --crashes 5 --seed 1 --json scale.json
 * </pre>
 *
 * <p><b>How each figure is measured.</b> Speed: the run's wall time (building n nodes with full membership, then
 * every virtual second) against its virtual time, delivered datagrams and events. Peak heap: the largest used
 * heap the collector reported just before any collection during the run, or at its end ({@link HeapWatch}); each
 * size runs in its own JVM, started with this JVM's options, so no run inherits another's heap or JIT state
 * ({@code --in-process} trades that for speed, for tests). Bytes per member entry: a full collection before the
 * cluster is built and another at the end with the cluster still reachable; the difference in used heap, divided
 * by the member-table entries the nodes hold (Σ {@code knownMembers()}, about n²). Detection, false alarms and
 * load: the simulator's own {@link RunReport}.
 *
 * <p>Exit status: 0 when every size ran; 1 when one did not (its row says why); 2 for a bad flag, with one line on
 * standard error naming the flag and what it accepts.
 */
public final class ScaleRunner {

    private static final long MINUTE_NS = 60_000_000_000L;
    private static final long MS = 1_000_000L;

    private ScaleRunner() {
    }

    /** Runs as {@link #run(String[], PrintStream, PrintStream)} and exits with its status when not 0. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Parses {@code args}, runs every size and prints the table to {@code out} (progress to {@code err}).
     *
     * @return 0 when every size ran, 1 when one did not, 2 for a bad flag
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ScaleOptions o;
        try {
            o = ScaleOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("ScaleRunner: " + e.getMessage() + " (--help for usage)");
            return 2;
        }
        if (o.help()) {
            out.print(ScaleOptions.USAGE);
            return 0;
        }
        if (o.child()) {
            out.println(measure(o, o.nodes().get(0), err).toLine());
            return 0;
        }
        List<ScaleResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int n : o.nodes()) {
            err.printf(Locale.ROOT, "== n = %,d%n", n);
            if (o.inProcess()) {
                results.add(measure(o, n, err));
            } else {
                try {
                    Optional<ScaleResult> r = inChild(o, n, err);
                    if (r.isPresent()) {
                        results.add(r.get());
                    } else {
                        failures.add(String.format(Locale.ROOT, "n = %,d did not finish (see its output above)",
                                n));
                    }
                } catch (IOException e) {
                    failures.add(String.format(Locale.ROOT, "n = %,d could not start a JVM: %s", n,
                            e.getMessage()));
                }
            }
        }
        out.print(ScaleReport.header(o, jvmDescription()));
        out.print(ScaleReport.table(results));
        out.println();
        out.print(ScaleReport.goals(results));
        for (String f : failures) {
            out.println();
            out.println("**" + f + "**");
        }
        if (o.json().isPresent()) {
            try {
                Files.writeString(o.json().get(), ScaleReport.json(o, jvmDescription(), results));
                err.println("figures written to " + o.json().get());
            } catch (IOException e) {
                err.println("ScaleRunner: cannot write --json " + o.json().get() + ": " + e.getMessage());
                return 1;
            }
        }
        return failures.isEmpty() ? 0 : 1;
    }

    /** Runs one size in a new JVM with this JVM's options; empty if it failed (its output has said why). */
    private static Optional<ScaleResult> inChild(ScaleOptions o, int n, PrintStream err) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ScaleRunner.class.getName());
        cmd.addAll(o.childArgs(n));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ScaleResult result = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (ScaleResult.isResultLine(line)) {
                    result = ScaleResult.parseLine(line);
                } else {
                    err.println(line);
                }
            }
        }
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (status != 0) {
            err.printf(Locale.ROOT, "the JVM for n = %,d exited with status %d%n", n, status);
            return Optional.empty();
        }
        return Optional.ofNullable(result);
    }

    /** Runs one size in this JVM and measures it; progress (every virtual minute) to {@code err}. */
    static ScaleResult measure(ScaleOptions o, int n, PrintStream err) {
        RunSpec spec = RunSpec.of(n, o.seed(), o.durationNs(), "lan");
        spec = spec.withNetwork(spec.network().withLoss(o.loss()))
                .withSchedule(Schedule.randomCrashes(n, o.crashes(), o.durationNs() / 10, o.durationNs() * 6 / 10,
                        o.seed()));
        if (o.directMonitorThreshold() >= 0) {
            spec = spec.withDirectMonitorThreshold(o.directMonitorThreshold());
        }
        PulseConfig c = spec.config();
        err.println("replay: " + spec.commandLine());

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long baseline = HeapWatch.liveHeapBytes();
        long gc0 = HeapWatch.collections();
        long gcMs0 = HeapWatch.collectionMs();
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        long[] startupNs = {-1};
        long[] atEnd = new long[4]; // collections, collection ms, cpu ns, entries
        long[] live = {-1};
        HeapWatch watch = HeapWatch.start();
        RunReport r = Runner.run(spec, (virtualNs, totalNs, events) -> {
            long wall = System.nanoTime() - start;
            if (startupNs[0] < 0) {
                startupNs[0] = wall;
            }
            if (virtualNs % MINUTE_NS == 0 || virtualNs == totalNs) {
                err.printf(Locale.ROOT, "  n = %,d: %,d virtual s, %,d events, %.1f wall s, heap used %,d MB%n",
                        n, virtualNs / 1_000_000_000L, events, wall / 1e9,
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
            }
        }, sim -> {
            atEnd[0] = HeapWatch.collections() - gc0;
            atEnd[1] = HeapWatch.collectionMs() - gcMs0;
            atEnd[2] = os.getProcessCpuTime() - cpu0;
            watch.sample();
            atEnd[3] = entries(sim);
            live[0] = HeapWatch.liveHeapBytes();
        });
        long peak = watch.finish();
        return result(o, n, c, r, startupNs[0], atEnd, baseline, live[0], peak);
    }

    private static long entries(Simulation sim) {
        long sum = 0;
        for (int i = 0; i < sim.size(); i++) {
            sum += sim.node(i).knownMembers();
        }
        return sum;
    }

    private static ScaleResult result(ScaleOptions o, int n, PulseConfig c, RunReport r, long startupNs,
                                      long[] atEnd, long baseline, long live, long peak) {
        long[] firstDead = r.failures().stream().map(RunReport.Failure::firstDeadMs)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).sorted().toArray();
        long[] allKnow = r.failures().stream().map(RunReport.Failure::allKnowMs)
                .filter(OptionalLong::isPresent).mapToLong(OptionalLong::getAsLong).sorted().toArray();
        long[] spread = r.failures().stream()
                .filter(f -> f.firstDeadMs().isPresent() && f.allKnowMs().isPresent())
                .mapToLong(f -> f.allKnowMs().getAsLong() - f.firstDeadMs().getAsLong()).sorted().toArray();
        boolean hybrid = c.directMonitorThreshold() > 0 && n <= c.directMonitorThreshold();
        return new ScaleResult(n, o.durationNs() / MS, o.loss(), r.failures().size(), o.seed(), hybrid,
                c.probeIntervalNs() / MS, Formulas.suspicionMinNs(c.suspicionMultiplier(), n, c.probeIntervalNs()) / MS,
                r.wallSeconds(), startupNs / 1e9, atEnd[2] / 1e9, atEnd[0], atEnd[1] / 1e3,
                HeapWatch.collectorNames(), HeapWatch.maxHeapBytes(), peak, baseline, live, atEnd[3],
                r.events(), r.delivered(), r.lost(), r.digestHex(),
                r.failures().size() - r.undetected(),
                percentile(firstDead, 50), percentile(firstDead, 99), percentile(allKnow, 50),
                percentile(allKnow, 99), percentile(spread, 50), r.falsePositives(), r.falseSuspicions(),
                r.messagesPerMemberPerSecond().mean(), r.messagesPerMemberPerSecond().max(),
                r.bytesPerMemberPerSecond().mean(), r.bytesPerMemberPerSecond().max());
    }

    /** The nearest-rank percentile of sorted values, or -1 if there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String jvmDescription() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return String.format(Locale.ROOT, "%s %s (%s), %d CPUs, %.1f GiB RAM, JVM options: %s",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                os.getTotalMemorySize() / (double) (1L << 30), options.isEmpty() ? "(none)" : String.join(" ", options));
    }
}
