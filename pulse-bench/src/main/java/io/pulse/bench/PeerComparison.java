package io.pulse.bench;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.engine.PulseNode;
import io.pulse.transport.udp.UdpTransport;
import io.scalecube.cluster.Cluster;
import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.ClusterMessageHandler;
import io.scalecube.transport.netty.tcp.TcpTransportFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pulse against ScaleCube cluster, side by side on this machine: N members of one system in one JVM on loopback,
 * each system in its own child JVM (so that neither's heap, threads or JIT work is charged to the other), run one
 * after the other by the same command.
 *
 * <p>Per system: start the members one by one, each joining through member 0, and wait until every member sees all
 * N (bootstrap time); let it settle; measure a quiet period (false positives: live members removed; CPU time per
 * member per second from the process CPU clock, and for pulse from its nodes' own threads alone; wake-ups per member
 * per second of pulse's loop and I/O threads, from the nodes' counters; heap per member after a full GC, all-in:
 * live heap with all N less live heap before the first member, over N, which carries the one-time class
 * initialisation of the code the members run; and marginal: heap with all N less heap with member 0 alone, over
 * N - 1, which leaves most of it out; direct (off-heap) buffer memory per member); then crash
 * members one at a time (a silent stop: pulse closes the node and its socket, ScaleCube stops its transport;
 * neither says goodbye) and record, at every survivor, when it first suspected the victim and when
 * it removed it (pulse: the {@code Suspected} and {@code Failed} events; ScaleCube: the {@code REMOVED} event, and
 * its membership table polled every 5 ms for SUSPECT, since it publishes no suspicion event).
 *
 * <p>Run: {@code java -cp pulse-bench/target/benchmarks.jar io.pulse.bench.PeerComparison [--n 10] [--crashes 3]
 * [--quiet 20] [--settle 5] [--config defaults|matched] [--systems pulse,pulse-swim,scalecube]}; {@code settle} is
 * the pause in seconds between bootstrap and the quiet period. Child JVMs get {@code -Xmx1g}.
 * {@code pulse} is the LAN preset as shipped (SWIM with Lifeguard; hybrid direct monitoring off since 2026-12-02:
 * figures in BENCHMARKS.md labelled {@code pulse} before that date are hybrid mode); {@code pulse-swim} names the same
 * explicitly ({@code directMonitorThreshold(0)}), SWIM probing alone, as ScaleCube does; {@code pulse-hybrid} is the
 * LAN preset with {@code hybridMonitoring()}.
 *
 * <p>Configurations ({@code defaults}): each system's LAN defaults, which are nearly equal by design: probe/ping
 * every 1 s, 500 ms timeout, 3 indirect probes, gossip every 200 ms to 3, full-state sync every 30 s. They differ
 * where the protocols differ: pulse's suspicion timeout is Lifeguard's (the LAN multiplier x max(1, log10 n) s at
 * least, 6 times that at most, shrinking with independent confirmations), ScaleCube's is fixed at
 * 5 x ceil(log2 n) s; with {@code pulse-hybrid}, below 100 members pulse also pulses every member directly every
 * second (the Go package's hybrid mode).
 * With {@code matched}, ScaleCube's suspicion multiplier is lowered so that its fixed timeout is no longer than
 * pulse's minimum (at n = 10 with LAN multiplier 4: 1 x 4 = 4 s against pulse's 4 s minimum, 24 s maximum; never
 * below 1), the most favourable setting for ScaleCube that its configuration allows.
 */
public final class PeerComparison {

    private static final String RESULT = "RESULT ";

    private PeerComparison() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        if (opts.containsKey("child")) {
            child(opts);
            return;
        }
        int n = Integer.parseInt(opts.getOrDefault("n", "10"));
        List<String> systems = List.of(opts.getOrDefault("systems", "pulse,scalecube").split(","));
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        for (String system : systems) {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), PeerComparison.class.getName(),
                    "--child", system));
            opts.forEach((k, v) -> {
                if (!k.equals("systems")) {
                    cmd.add("--" + k);
                    cmd.add(v);
                }
            });
            System.out.println("== " + system + ": " + String.join(" ", cmd.subList(3, cmd.size())));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Map<String, String> r = new LinkedHashMap<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(RESULT)) {
                        String[] kv = line.substring(RESULT.length()).split("=", 2);
                        r.put(kv[0], kv[1]);
                    }
                    if (line.startsWith(RESULT) || line.startsWith("  ")) {
                        System.out.println(line);
                    }
                }
            }
            int rc = p.waitFor();
            if (rc != 0) {
                System.out.println("child for " + system + " exited with " + rc);
            }
            results.put(system, r);
        }
        report(n, results);
    }

    // ---------------------------------------------------------------------------------------------- the parent

    private static void report(int n, Map<String, Map<String, String>> results) {
        String[] keys = {"bootstrapS", "quietFalseRemovals", "quietFalseSuspicions", "cpuMsPerMemberPerS",
            "cpuMsPerMemberPerSNodeThreads",
            "datagramsOutPerMemberPerS", "wakeupsPerMemberPerS", "heapKiBFirstMember", "heapKiBPerMember",
            "heapKiBPerMemberAll", "directKiBPerMember", "threads", "suspectP50S",
            "suspectP99S", "suspectMaxS", "removedP50S", "removedP99S", "removedMaxS", "survivorsMissed"};
        Map<String, String> peer = results.get("scalecube");
        List<String> ours = results.keySet().stream().filter(s -> !s.equals("scalecube")).toList();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-26s", "n=" + n);
        results.keySet().forEach(s -> System.out.printf(Locale.ROOT, "%12s", s));
        if (peer != null) {
            ours.forEach(s -> System.out.printf(Locale.ROOT, "%18s", s + "/sc"));
        }
        System.out.println();
        for (String k : keys) {
            System.out.printf(Locale.ROOT, "%-26s", k);
            for (Map<String, String> r : results.values()) {
                System.out.printf(Locale.ROOT, "%12s", r.getOrDefault(k, "-"));
            }
            if (peer != null) {
                for (String s : ours) {
                    String ratio = "-";
                    try {
                        double x = Double.parseDouble(results.get(s).get(k));
                        double y = Double.parseDouble(peer.get(k));
                        ratio = y == 0 ? "-" : String.format(Locale.ROOT, "%.2f", x / y);
                    } catch (RuntimeException e) {
                        // not numeric
                    }
                    System.out.printf(Locale.ROOT, "%18s", ratio);
                }
            }
            System.out.println();
        }
    }

    // ----------------------------------------------------------------------------------------------- the child

    private static void child(Map<String, String> opts) throws Exception {
        String system = opts.get("child");
        int n = Integer.parseInt(opts.getOrDefault("n", "10"));
        int crashes = Integer.parseInt(opts.getOrDefault("crashes", "3"));
        int quietS = Integer.parseInt(opts.getOrDefault("quiet", "20"));
        int settleS = Integer.parseInt(opts.getOrDefault("settle", "5"));
        String config = opts.getOrDefault("config", "defaults");
        Recorder rec = new Recorder();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long heap0 = usedHeapAfterGc(mem);
        long direct0 = directBytes();
        Peer peer = switch (system) {
            case "pulse" -> new PulsePeer(n, rec, PulseConfig.lan());
            case "pulse-swim" -> new PulsePeer(n, rec, PulseConfig.lan().toBuilder().directMonitorThreshold(0).build());
            case "pulse-hybrid" -> new PulsePeer(n, rec, PulseConfig.lan().toBuilder().hybridMonitoring().build());
            case "scalecube" -> new ScaleCubePeer(n, rec, config);
            default -> throw new IllegalArgumentException(
                    "system must be pulse, pulse-swim, pulse-hybrid or scalecube, was " + system);
        };
        System.out.println("  config: " + peer.describe());
        try {
            peer.start(0);
            long heapFirst = usedHeapAfterGc(mem);
            long directFirst = directBytes();
            long t0 = System.nanoTime();
            for (int i = 1; i < n; i++) {
                peer.start(i);
            }
            boolean converged = waitUntil(() -> {
                for (int i = 0; i < n; i++) {
                    if (peer.membersSeenBy(i) != n) {
                        return false;
                    }
                }
                return true;
            }, 120);
            double bootstrapS = (System.nanoTime() - t0) / 1e9;
            result("converged", String.valueOf(converged));
            result("bootstrapS", fmt(bootstrapS));
            // the JIT keeps compiling for a while at these message rates; a longer settle leaves its work out
            Thread.sleep(settleS * 1000L);

            rec.reset();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Map<String, Long> threads0 = cpuByThreadGroup();
            Map<String, Long> alloc0 = allocatedByThreadGroup();
            long out0 = peer.datagramsOut();
            Map<String, Long> wake0 = peer.wakeups();
            long cpu0 = os.getProcessCpuTime();
            long w0 = System.nanoTime();
            Thread.sleep(quietS * 1000L);
            long cpu1 = os.getProcessCpuTime();
            Map<String, Long> threads1 = cpuByThreadGroup();
            Map<String, Long> alloc1 = allocatedByThreadGroup();
            long pulseThreadsNs = 0;
            for (Map.Entry<String, Long> e : threads1.entrySet()) {
                if (e.getKey().startsWith("pulse-")) {
                    pulseThreadsNs += e.getValue() - threads0.getOrDefault(e.getKey(), 0L);
                }
            }
            threads1.forEach((name, ns) -> {
                double ms = (ns - threads0.getOrDefault(name, 0L)) / 1e6;
                double kib = (alloc1.getOrDefault(name, 0L) - alloc0.getOrDefault(name, 0L)) / 1024.0;
                if (ms >= 1) {
                    System.out.println(String.format(Locale.ROOT,
                            "  quiet-period %-36s CPU %9.1f ms, allocated %10.1f KiB", name, ms, kib));
                }
            });
            long w1 = System.nanoTime();
            long out1 = peer.datagramsOut();
            Map<String, Long> wake1 = peer.wakeups();
            double quietWallS = (w1 - w0) / 1e9;
            long wakeups = 0;
            for (Map.Entry<String, Long> e : wake1.entrySet()) {
                long d = e.getValue() - wake0.getOrDefault(e.getKey(), 0L);
                System.out.println(String.format(Locale.ROOT, "  quiet-period %-36s %9.2f per member per s",
                        e.getKey(), d / (double) n / quietWallS));
                if (e.getKey().endsWith("Wakeups")) {
                    wakeups += d;
                }
            }
            result("wakeupsPerMemberPerS", wake1.isEmpty() ? "n/a" : fmt(wakeups / (double) n / quietWallS));
            result("quietS", String.valueOf(quietS));
            result("datagramsOutPerMemberPerS", out0 < 0 ? "n/a" : fmt((out1 - out0) / (double) n / ((w1 - w0) / 1e9)));
            result("cpuMsPerMemberPerS", fmt((cpu1 - cpu0) / 1e6 / n / ((w1 - w0) / 1e9)));
            // the node's own threads only (loop, I/O, event delivery): the process figure less the JVM's GC, JIT and
            // housekeeping threads and the harness, which a process pays once whatever its number of members
            result("cpuMsPerMemberPerSNodeThreads", system.startsWith("pulse")
                    ? fmt(pulseThreadsNs / 1e6 / n / quietWallS) : "n/a");
            result("quietFalseRemovals", String.valueOf(rec.removedCount.get()));
            result("quietFalseSuspicions",
                    system.startsWith("pulse") ? String.valueOf(rec.suspectedCount.get()) : "n/a");
            result("threads", String.valueOf(Thread.activeCount()));
            long heap1 = usedHeapAfterGc(mem);
            long direct1 = directBytes();
            result("heapKiBFirstMember", fmt((heapFirst - heap0) / 1024.0));
            result("heapKiBPerMember", fmt((heap1 - heapFirst) / 1024.0 / (n - 1)));
            result("heapKiBPerMemberAll", fmt((heap1 - heap0) / 1024.0 / n));
            result("directKiBPerMember", fmt((direct1 - direct0) / 1024.0 / n));
            result("directKiBFirstMember", fmt((directFirst - direct0) / 1024.0));

            List<Double> suspect = new ArrayList<>();
            List<Double> removed = new ArrayList<>();
            int missed = 0;
            for (int c = 0; c < crashes; c++) {
                int victim = n - 1 - c;
                String key = peer.key(victim);
                rec.reset();
                peer.watchSuspicions(true);
                long crashAt = System.nanoTime();
                peer.crash(victim);
                List<Integer> survivors = new ArrayList<>();
                for (int i = 0; i < n - 1 - c; i++) {
                    survivors.add(i);
                }
                waitUntil(() -> {
                    for (int s : survivors) {
                        if (rec.removedAt(s, key) < 0) {
                            return false;
                        }
                    }
                    return true;
                }, 120);
                peer.watchSuspicions(false);
                for (int s : survivors) {
                    long sa = rec.suspectedAt(s, key);
                    long ra = rec.removedAt(s, key);
                    if (ra < 0) {
                        missed++;
                        continue;
                    }
                    removed.add((ra - crashAt) / 1e9);
                    // a member that heard of the death before it suspected counts as suspecting then
                    suspect.add(((sa < 0 ? ra : Math.min(sa, ra)) - crashAt) / 1e9);
                }
                System.out.println("  crash " + (c + 1) + " (" + key + "): removed at all " + survivors.size()
                        + " survivors: " + (survivors.stream().allMatch(s -> rec.removedAt(s, key) >= 0)));
                Thread.sleep(2_000);
            }
            result("crashes", String.valueOf(crashes));
            result("samples", String.valueOf(removed.size()));
            result("survivorsMissed", String.valueOf(missed));
            result("suspectP50S", fmt(percentile(suspect, 50)));
            result("suspectP99S", fmt(percentile(suspect, 99)));
            result("suspectMaxS", fmt(percentile(suspect, 100)));
            result("removedP50S", fmt(percentile(removed, 50)));
            result("removedP99S", fmt(percentile(removed, 99)));
            result("removedMaxS", fmt(percentile(removed, 100)));
        } finally {
            peer.closeAll();
        }
        System.exit(0);
    }

    /** CPU time of live threads, summed by name with digits removed (pulse-loop-41234 becomes pulse-loop-). */
    private static Map<String, Long> cpuByThreadGroup() {
        java.lang.management.ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo ti : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            long ns = tmx.getThreadCpuTime(ti.getThreadId());
            if (ns > 0) {
                m.merge(ti.getThreadName().replaceAll("[0-9]+", "#"), ns, Long::sum);
            }
        }
        return m;
    }

    /** Bytes allocated by live threads, summed by name with digits removed. */
    private static Map<String, Long> allocatedByThreadGroup() {
        com.sun.management.ThreadMXBean tmx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo ti : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (ti != null) {
                long b = tmx.getThreadAllocatedBytes(ti.getThreadId());
                if (b > 0) {
                    m.merge(ti.getThreadName().replaceAll("[0-9]+", "#"), b, Long::sum);
                }
            }
        }
        return m;
    }

    private static void result(String key, String value) {
        System.out.println(RESULT + key + "=" + value);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    /** Bytes of direct (off-heap) buffers the JDK counts: NIO's, Netty's unpooled ones where it uses the JDK's. */
    private static long directBytes() {
        long sum = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                sum += pool.getMemoryUsed();
            }
        }
        return sum;
    }

    private static long usedHeapAfterGc(MemoryMXBean mem) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static boolean waitUntil(Check check, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + Arrays.toString(args));
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    /** First-suspected and removed times, by observer and member key. */
    static final class Recorder {
        private final Map<String, Long> suspected = new ConcurrentHashMap<>();
        private final Map<String, Long> removed = new ConcurrentHashMap<>();
        final AtomicLong suspectedCount = new AtomicLong();
        final AtomicLong removedCount = new AtomicLong();

        void suspected(int observer, String member) {
            if (suspected.putIfAbsent(observer + ">" + member, System.nanoTime()) == null) {
                suspectedCount.incrementAndGet();
            }
        }

        void removed(int observer, String member) {
            if (removed.putIfAbsent(observer + ">" + member, System.nanoTime()) == null) {
                removedCount.incrementAndGet();
            }
        }

        long suspectedAt(int observer, String member) {
            return suspected.getOrDefault(observer + ">" + member, -1L);
        }

        long removedAt(int observer, String member) {
            return removed.getOrDefault(observer + ">" + member, -1L);
        }

        void reset() {
            suspected.clear();
            removed.clear();
            suspectedCount.set(0);
            removedCount.set(0);
        }
    }

    /** One system's cluster, as the comparison drives it. */
    interface Peer {
        String describe();

        void start(int i) throws Exception;

        int membersSeenBy(int i);

        String key(int i);

        void crash(int i) throws Exception;

        default void watchSuspicions(boolean on) {
        }

        /** Datagrams sent by all members so far, or -1 if the system does not count them. */
        default long datagramsOut() {
            return -1;
        }

        /** Cumulative wake-up and hand-off counters summed over the members, by name; empty if not counted. */
        default Map<String, Long> wakeups() {
            return Map.of();
        }

        void closeAll();
    }

    /** pulse: a {@link PulseNode} over a {@link UdpTransport} per member, LAN preset. */
    static final class PulsePeer implements Peer {
        private final PulseNode[] nodes;
        private final Recorder rec;
        private final PulseConfig config;

        PulsePeer(int n, Recorder rec, PulseConfig config) {
            this.nodes = new PulseNode[n];
            this.rec = rec;
            this.config = config;
        }

        @Override
        public String describe() {
            return "pulse " + config;
        }

        @Override
        public void start(int i) throws Exception {
            UdpTransport t = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).open();
            PulseNode node = PulseNode.builder(t).config(config).seed(1000 + i).start();
            nodes[i] = node;
            node.subscribe(e -> {
                if (e instanceof MembershipEvent.Suspected s) {
                    rec.suspected(i, s.member().toString());
                } else if (e instanceof MembershipEvent.Failed f) {
                    rec.removed(i, f.member().toString());
                }
            });
            if (i > 0) {
                node.join(List.of(nodes[0].localAddress())).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }

        @Override
        public int membersSeenBy(int i) {
            return nodes[i].members().size();
        }

        @Override
        public long datagramsOut() {
            long sum = 0;
            for (PulseNode node : nodes) {
                sum += node.counters().getOrDefault("datagramsOut", 0L);
            }
            return sum;
        }

        /** The loop's and the I/O thread's wake-ups, and how often a datagram found the machine busy. */
        @Override
        public Map<String, Long> wakeups() {
            Map<String, Long> m = new java.util.TreeMap<>();
            for (PulseNode node : nodes) {
                if (node == null) {
                    continue;
                }
                Map<String, Long> c = node.counters();
                for (String k : List.of("loopWakeups", "loopUnparks", "transport.ioWakeups", "datagramsQueued",
                        "datagramsWaited")) {
                    if (c.containsKey(k)) {
                        m.merge(k.replace("transport.", ""), c.get(k), Long::sum);
                    }
                }
            }
            return m;
        }

        @Override
        public String key(int i) {
            return nodes[i].localAddress().toString();
        }

        @Override
        public void crash(int i) {
            nodes[i].close();
        }

        @Override
        public void closeAll() {
            for (PulseNode node : nodes) {
                if (node != null) {
                    node.close();
                }
            }
        }
    }

    /** ScaleCube cluster 2.7 over its Netty TCP transport, one {@link ClusterImpl} per member. */
    static final class ScaleCubePeer implements Peer {
        private final Cluster[] nodes;
        private final Recorder rec;
        private final int suspicionMult;
        private volatile boolean watching;
        private final Thread poller;

        ScaleCubePeer(int n, Recorder rec, String config) {
            this.nodes = new Cluster[n];
            this.rec = rec;
            if ("matched".equals(config)) {
                // pulse's minimum suspicion timeout: multiplier x max(1, log10 n) x probe interval;
                // ScaleCube's: mult x ceil(log2 n) x ping interval (1 s in both)
                PulseConfig lan = PulseConfig.lan();
                double pulseMinS = lan.suspicionMultiplier() * Math.max(1, Math.log10(n))
                        * lan.probeIntervalNs() / 1e9;
                int ceilLog2 = 32 - Integer.numberOfLeadingZeros(n - 1);
                this.suspicionMult = Math.max(1, (int) Math.floor(pulseMinS / ceilLog2));
            } else {
                this.suspicionMult = 5;
            }
            poller = new Thread(this::pollSuspicions, "scalecube-suspicion-poller");
            poller.setDaemon(true);
            poller.start();
        }

        @Override
        public String describe() {
            return "scalecube pingInterval=1000ms pingTimeout=500ms pingReqMembers=3 gossipInterval=200ms "
                    + "gossipFanout=3 gossipRepeatMult=3 syncInterval=30000ms suspicionMult=" + suspicionMult
                    + " transport=TCP (Netty)";
        }

        @Override
        public void start(int i) {
            ClusterImpl c = new ClusterImpl()
                    .config(cfg -> cfg.externalHost("127.0.0.1").memberAlias("m" + i))
                    .transportFactory(TcpTransportFactory::new)
                    .failureDetector(f -> f.pingInterval(1000).pingTimeout(500).pingReqMembers(3))
                    .gossip(g -> g.gossipInterval(200).gossipFanout(3).gossipRepeatMult(3))
                    .membership(m -> {
                        m = m.syncInterval(30_000).suspicionMult(suspicionMult);
                        return i == 0 ? m : m.seedMembers(nodes[0].address());
                    })
                    .handler(cluster -> new ClusterMessageHandler() {
                        @Override
                        public void onMembershipEvent(io.scalecube.cluster.membership.MembershipEvent e) {
                            if (e.isRemoved()) {
                                rec.removed(i, e.member().address());
                            }
                        }
                    });
            nodes[i] = c.startAwait();
        }

        @Override
        public int membersSeenBy(int i) {
            return nodes[i].members().size();
        }

        @Override
        public String key(int i) {
            return nodes[i].member().address();
        }

        @Override
        public void crash(int i) {
            ((ClusterImpl) nodes[i]).transport().stop().block(java.time.Duration.ofSeconds(10));
        }

        @Override
        public void watchSuspicions(boolean on) {
            synchronized (this) {
                watching = on;
                notifyAll();
            }
        }

        @Override
        public void closeAll() {
            for (Cluster c : nodes) {
                if (c != null) {
                    try {
                        c.shutdown();
                    } catch (RuntimeException e) {
                        // already stopped
                    }
                }
            }
        }

        /** ScaleCube publishes no suspicion event: read each member's membership table (reflection). */
        private void pollSuspicions() {
            try {
                Field membership = ClusterImpl.class.getDeclaredField("membership");
                membership.setAccessible(true);
                Class<?> protocol = Class.forName("io.scalecube.cluster.membership.MembershipProtocolImpl");
                Field table = protocol.getDeclaredField("membershipTable");
                table.setAccessible(true);
                Class<?> record = Class.forName("io.scalecube.cluster.membership.MembershipRecord");
                Method isSuspect = record.getDeclaredMethod("isSuspect");
                isSuspect.setAccessible(true);
                Method member = record.getDeclaredMethod("member");
                member.setAccessible(true);
                while (true) {
                    synchronized (this) {
                        while (!watching) {
                            wait(); // no wake-ups, so no CPU, outside the crash phases
                        }
                    }
                    {
                        for (int i = 0; i < nodes.length; i++) {
                            Cluster c = nodes[i];
                            if (c == null) {
                                continue;
                            }
                            Object mp = membership.get(c);
                            Map<?, ?> t = (Map<?, ?>) table.get(mp);
                            Collection<?> records;
                            try {
                                records = new ArrayList<>(t.values());
                            } catch (RuntimeException e) {
                                continue; // concurrently modified: next round
                            }
                            for (Object r : records) {
                                if ((boolean) isSuspect.invoke(r)) {
                                    rec.suspected(i, ((io.scalecube.cluster.Member) member.invoke(r)).address());
                                }
                            }
                        }
                    }
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ReflectiveOperationException e) {
                System.out.println("  cannot read ScaleCube's membership table: " + e);
            }
        }
    }
}
