package io.pulse.bench;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.api.Status;
import io.pulse.engine.PulseNode;
import io.pulse.transport.udp.UdpTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A join storm on real loopback UDP (not a JMH benchmark): N {@link PulseNode}s in this JVM, started together, each
 * joining through node 0 the moment it is up; measures how long until every member sees every other ALIVE, and
 * counts false alarms (nobody fails, so every SUSPECT is a false suspicion and every DEAD a false positive) during
 * the join and a quiet period after it. pulse aims for 100 nodes to converge within 3 s with no false positive in
 * 10 of 10 runs.
 *
 * <pre>
 * java -cp pulse-bench/target/benchmarks.jar io.pulse.bench.JoinStorm --n 100 --runs 10
 * </pre>
 *
 * <p>Flags: {@code --n N} members, in [2, 1000] (100); {@code --runs R}, in [1, 1000] (10); {@code --target-ms T},
 * the convergence goal, in [1, 600000] (3000); {@code --limit-ms L}, how long to wait for convergence before
 * calling a run failed, in [T, 600000] (30000); {@code --quiet-ms Q}, the quiet period watched for false alarms
 * after convergence, in [0, 600000] (10000); {@code --preset lan|wan|local} (lan).
 *
 * <p>Time 0 of a run is when the first node starts; node i starts, binds 127.0.0.1 on a free port and calls
 * {@code join} without waiting for the answer, then node i + 1 starts. Convergence is polled every 10 ms: every
 * node's {@code statusAll()} lists N members, all ALIVE.
 *
 * <p>To tell why a run is late, each run also prints the host's kernel count of UDP datagrams dropped for a full
 * socket receive buffer over the run ({@code RcvbufErrors} in {@code /proc/net/snmp}: the whole host's, so run it on
 * a quiet machine), the transports' own drop counters and the push-pull exchanges; and a run not converged by the
 * goal prints who was behind at that moment.
 */
public final class JoinStorm {

    private JoinStorm() {
    }

    /** One run's figures. */
    record Run(int index, double startSpanMs, double convergedMs, long suspicions, long deaths, long rcvbufErrors,
               long transportDrops, long pushPulls, String lateAtTarget) {
        boolean met(long targetMs) {
            return convergedMs >= 0 && convergedMs <= targetMs && deaths == 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int n = 100;
        int runs = 10;
        long targetMs = 3_000;
        long limitMs = 30_000;
        long quietMs = 10_000;
        String preset = "lan";
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                usage("flag " + flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--n" -> n = (int) number(flag, v, 2, 1_000);
                case "--runs" -> runs = (int) number(flag, v, 1, 1_000);
                case "--target-ms" -> targetMs = number(flag, v, 1, 600_000);
                case "--limit-ms" -> limitMs = number(flag, v, 1, 600_000);
                case "--quiet-ms" -> quietMs = number(flag, v, 0, 600_000);
                case "--preset" -> preset = v;
                default -> usage("unknown flag " + flag);
            }
        }
        if (limitMs < targetMs) {
            usage("--limit-ms must be at least --target-ms (" + targetMs + "), was " + limitMs);
        }
        PulseConfig config = switch (preset) {
            case "lan" -> PulseConfig.lan();
            case "wan" -> PulseConfig.wan();
            case "local" -> PulseConfig.local();
            default -> {
                usage("--preset must be lan, wan or local, was " + preset);
                yield null;
            }
        };
        System.out.printf("JoinStorm: %d nodes on loopback UDP, one JVM, all joining through node 0; %d runs; goal "
                        + "%d ms; quiet %d ms; %d CPUs, Java %s%n%s%n", n, runs, targetMs, quietMs,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), config);
        List<Run> results = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            Run run = run(r, n, config, targetMs, limitMs, quietMs);
            results.add(run);
            System.out.printf(Locale.ROOT, "run %2d: all started in %6.1f ms; converged %s; false suspicions %d, "
                            + "false positives %d; kernel UDP receive-buffer drops %s, transport drops %d, "
                            + "push-pulls %d%n", r, run.startSpanMs(),
                    run.convergedMs() < 0 ? "NOT within " + limitMs + " ms"
                            : String.format(Locale.ROOT, "at %7.1f ms", run.convergedMs()),
                    run.suspicions(), run.deaths(), run.rcvbufErrors() < 0 ? "n/a" : run.rcvbufErrors(),
                    run.transportDrops(), run.pushPulls());
            if (!run.lateAtTarget().isEmpty()) {
                System.out.println("        at " + targetMs + " ms: " + run.lateAtTarget());
            }
            System.gc();
            Thread.sleep(1_000); // let the sockets of the last run close before the next binds
        }
        double[] conv = results.stream().mapToDouble(Run::convergedMs).filter(x -> x >= 0).sorted().toArray();
        long met = 0;
        for (Run run : results) {
            met += run.met(targetMs) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "summary: %d of %d runs converged within %d ms with no false positive; "
                        + "convergence p50 %s ms, max %s ms (%d runs converged); false suspicions %d, false "
                        + "positives %d in all%n", met, runs, targetMs,
                conv.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", conv[(conv.length - 1) / 2]),
                conv.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", conv[conv.length - 1]), conv.length,
                results.stream().mapToLong(Run::suspicions).sum(), results.stream().mapToLong(Run::deaths).sum());
        System.exit(met == runs ? 0 : 1);
    }

    private static Run run(int index, int n, PulseConfig config, long targetMs, long limitMs, long quietMs)
            throws IOException {
        PulseNode[] nodes = new PulseNode[n];
        AtomicLong suspicions = new AtomicLong();
        AtomicLong deaths = new AtomicLong();
        long rcvbufBefore = rcvbufErrors();
        String late = "";
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                UdpTransport t = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).open();
                PulseNode node = PulseNode.builder(t).config(config).seed(index * 100_003L + i).start();
                node.subscribe(e -> {
                    if (e instanceof MembershipEvent.Suspected) {
                        suspicions.incrementAndGet();
                    } else if (e instanceof MembershipEvent.Failed) {
                        deaths.incrementAndGet();
                    }
                });
                nodes[i] = node;
                if (i > 0) {
                    node.join(List.of(nodes[0].localAddress()));
                }
            }
            double startSpanMs = (System.nanoTime() - t0) / 1e6;
            double convergedMs = -1;
            long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(limitMs);
            long target = t0 + TimeUnit.MILLISECONDS.toNanos(targetMs);
            while (System.nanoTime() < deadline) {
                if (converged(nodes)) {
                    convergedMs = (System.nanoTime() - t0) / 1e6;
                    break;
                }
                if (late.isEmpty() && System.nanoTime() >= target) {
                    late = lagging(nodes);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            long quietEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(quietMs);
            while (System.nanoTime() < quietEnd) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            long rcvbufAfter = rcvbufErrors();
            long drops = 0;
            long pushPulls = 0;
            for (PulseNode node : nodes) {
                for (var e : node.counters().entrySet()) {
                    if (e.getKey().startsWith("transport.dropped.")) {
                        drops += e.getValue();
                    } else if (e.getKey().equals("pushPulls")) {
                        pushPulls += e.getValue();
                    }
                }
            }
            return new Run(index, startSpanMs, convergedMs, suspicions.get(), deaths.get(),
                    rcvbufBefore < 0 || rcvbufAfter < 0 ? -1 : rcvbufAfter - rcvbufBefore, drops, pushPulls, late);
        } finally {
            for (PulseNode node : nodes) {
                if (node != null) {
                    node.close();
                }
            }
        }
    }

    /**
     * Who is behind, for a run that has not converged by its target: how many nodes miss members, the fewest
     * members any node lists, and the members that the most nodes do not know yet (node index: how many know it).
     */
    private static String lagging(PulseNode[] nodes) {
        int n = nodes.length;
        java.util.Map<Identifier, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(nodes[i].localAddress(), i);
        }
        int[] knownBy = new int[n];
        int behind = 0;
        int fewest = n;
        for (PulseNode node : nodes) {
            List<Identifier> members = node.members();
            behind += members.size() < n ? 1 : 0;
            fewest = Math.min(fewest, members.size());
            for (Identifier m : members) {
                Integer i = index.get(m);
                if (i != null) {
                    knownBy[i]++;
                }
            }
        }
        StringBuilder unknown = new StringBuilder();
        int listed = 0;
        for (int i = 0; i < n && listed < 10; i++) {
            if (knownBy[i] < n) {
                unknown.append(listed++ == 0 ? "" : ", ").append("node ").append(i).append(": known by ")
                        .append(knownBy[i]);
            }
        }
        StringBuilder who = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < n && shown < 5; i++) {
            List<Identifier> members = nodes[i].members();
            if (members.size() == n) {
                continue;
            }
            shown++;
            who.append("; node ").append(i).append(" (").append(nodes[i].localAddress()).append(") misses");
            for (int j = 0; j < n; j++) {
                if (!members.contains(nodes[j].localAddress())) {
                    who.append(" node ").append(j).append(" (its view: ").append(nodes[i].status(nodes[j]
                            .localAddress()).map(st -> st.state() + "@" + st.incarnation()).orElse("unknown"))
                            .append(")");
                }
            }
            java.util.Map<String, Long> c = nodes[i].counters();
            who.append(", its pushPulls ").append(c.get("pushPulls")).append(", datagramsIn ")
                    .append(c.get("datagramsIn")).append(", updatesReceived ").append(c.get("updatesReceived"));
        }
        return behind + " nodes miss members (the fewest listed: " + fewest + " of " + n + "); members not known "
                + "to all: " + (listed == 0 ? "none (all known, some not ALIVE)" : unknown) + who;
    }

    /**
     * The kernel's count of UDP datagrams dropped for a full socket receive buffer ({@code RcvbufErrors} in
     * {@code /proc/net/snmp}, for the whole host); -1 where that file cannot be read.
     */
    private static long rcvbufErrors() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    List<String> names = List.of(lines.get(i).trim().split("\\s+"));
                    String[] values = lines.get(i + 1).trim().split("\\s+");
                    int k = names.indexOf("RcvbufErrors");
                    return k < 0 ? -1 : Long.parseLong(values[k]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Whether every node lists every member, all ALIVE (cheap member counts first). */
    private static boolean converged(PulseNode[] nodes) {
        for (PulseNode node : nodes) {
            if (node.members().size() != nodes.length) {
                return false;
            }
        }
        for (PulseNode node : nodes) {
            List<Status> all = node.statusAll();
            if (all.size() != nodes.length) {
                return false;
            }
            for (Status s : all) {
                if (s.state() != State.ALIVE) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long number(String flag, String v, long min, long max) {
        long x;
        try {
            x = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            usage(flag + " must be an integer in [" + min + ", " + max + "], was \"" + v + "\"");
            return 0;
        }
        if (x < min || x > max) {
            usage(flag + " must be in [" + min + ", " + max + "], was " + x);
        }
        return x;
    }

    private static void usage(String problem) {
        System.err.println("JoinStorm: " + problem + " (flags: --n N --runs R --target-ms T --limit-ms L "
                + "--quiet-ms Q --preset lan|wan|local; see the class Javadoc)");
        System.exit(2);
    }
}
