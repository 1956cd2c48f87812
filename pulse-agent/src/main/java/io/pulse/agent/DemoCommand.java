package io.pulse.agent;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.api.Status;
import io.pulse.engine.PulseNode;
import io.pulse.engine.Role;
import io.pulse.transport.udp.UdpTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse demo}: a small cluster on loopback UDP that converges, loses a member to a crash, and tells when
 * each survivor suspected it and declared it dead. Everything it starts, it closes before it returns.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Watch a loopback cluster detect a crash, in seconds: start here.",
        description = {"Starts a small cluster of full nodes on loopback UDP (127.0.0.1, free ports), shows it "
                + "converge and the round-trip times the nodes measure, crashes one node abruptly (its socket "
                + "closes, it says no goodbye), and prints a timeline: when each survivor suspected the crashed "
                + "node and when it declared it dead. Takes a few seconds; leaves nothing running."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./pulse demo",
            "  ./pulse demo --nodes 8",
            "",
            "Exit status: 0 when every survivor declared the crashed node dead, 1 otherwise."})
public final class DemoCommand implements Callable<Integer> {

    /** The demo's configuration: LOCAL, with a faster probe and gossip so that the story fits in seconds. */
    static final PulseConfig DEMO_CONFIG = PulseConfig.local().toBuilder()
            .probeInterval(Duration.ofMillis(200))
            .probeTimeout(Duration.ofMillis(100))
            .gossipInterval(Duration.ofMillis(50))
            .retransmitMultiplier(4)
            .pushPullInterval(Duration.ofSeconds(2))
            .build();

    private static final Duration STEP_DEADLINE = Duration.ofSeconds(20);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "5",
            description = "How many nodes, 3 to 12 (default ${DEFAULT-VALUE}).")
    int nodeCount;

    private long t0;
    private PrintWriter out;

    /** No instance state beyond picocli's fields. */
    public DemoCommand() {
    }

    /** One thing a survivor saw about the crashed node. */
    private record Seen(int observer, String what, Instant at) {
    }

    @Override
    public Integer call() throws Exception {
        if (nodeCount < 3 || nodeCount > 12) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--nodes: '" + nodeCount + "': expected a number of nodes in [3, 12]");
        }
        out = spec.commandLine().getOut();
        List<PulseNode> nodes = new ArrayList<>();
        List<UdpTransport> transports = new ArrayList<>();
        try {
            return run(nodes, transports);
        } catch (UserException e) {
            return CliErrors.userError(spec, e);
        } finally {
            for (PulseNode n : nodes) {
                n.close();
            }
            for (UdpTransport t : transports) {
                t.close();
            }
        }
    }

    private int run(List<PulseNode> nodes, List<UdpTransport> transports) throws Exception {
        out.println("pulse demo: " + nodeCount + " full nodes on loopback UDP; one of them will crash.");
        out.println("config: PulseConfig.local() with a 200ms probe interval, 100ms probe timeout, 50ms gossip "
                + "interval,");
        out.println("        retransmit multiplier 4 and 2s push-pull: tuned for a quick demo");
        out.println("        (suspicion lasts " + "at least " + DurationConverter.format(
                Duration.ofNanos(DEMO_CONFIG.suspicionMultiplier() * DEMO_CONFIG.probeIntervalNs()))
                + "; a real cluster runs --preset lan: a probe every 1s, 500ms to answer)");
        out.println();
        t0 = System.nanoTime();
        for (int i = 0; i < nodeCount; i++) {
            UdpTransport t;
            try {
                t = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).open();
            } catch (IOException e) {
                throw new UserException("cannot open a UDP socket on loopback: " + e.getMessage());
            }
            transports.add(t);
            nodes.add(PulseNode.builder(t).config(DEMO_CONFIG).role(Role.FULL).start());
        }
        for (int i = 0; i < nodeCount; i++) {
            say("node " + (i + 1) + " listening on udp " + nodes.get(i).localAddress());
        }
        Identifier seed = nodes.get(0).localAddress();
        for (int i = 1; i < nodeCount; i++) {
            try {
                nodes.get(i).join(List.of(seed)).toCompletableFuture().get(STEP_DEADLINE.toSeconds(),
                        TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new UserException("node " + (i + 1) + " could not join node 1 within "
                        + STEP_DEADLINE.toSeconds() + "s (is loopback UDP filtered?)");
            }
        }
        say("nodes 2.." + nodeCount + " joined through node 1 (" + seed + ")");
        await("every node sees all " + nodeCount + " members", () -> nodes.stream()
                .allMatch(n -> n.members().size() == nodeCount));
        say("converged: every node sees all " + nodeCount + " members");

        int victim = nodeCount - 1;
        Identifier victimId = nodes.get(victim).localAddress();
        await("every node has measured a round trip to every other", () -> {
            for (PulseNode n : nodes) {
                for (PulseNode m : nodes) {
                    if (n != m && n.status(m.localAddress()).flatMap(Status::rtt).isEmpty()) {
                        return false;
                    }
                }
            }
            return true;
        });
        say("round-trip times measured (smoothed; row: the node that probed, column: the node probed):");
        printRttMatrix(nodes);

        List<Seen> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            if (i == victim) {
                continue;
            }
            int observer = i;
            nodes.get(i).subscribe(e -> {
                if (!e.member().equals(victimId)) {
                    return;
                }
                if (e instanceof MembershipEvent.Suspected) {
                    seen.add(new Seen(observer, "suspects it", e.at()));
                } else if (e instanceof MembershipEvent.Failed) {
                    seen.add(new Seen(observer, "declares it DEAD", e.at()));
                } else if (e instanceof MembershipEvent.Alive) {
                    seen.add(new Seen(observer, "hears it is alive after all", e.at()));
                }
            });
        }
        out.println();
        Instant crashedAt = Instant.now();
        transports.get(victim).close();
        nodes.get(victim).close();
        say("CRASH: node " + (victim + 1) + " (" + victimId + ") stops dead: socket closed, no goodbye");
        await("every survivor declares node " + (victim + 1) + " dead", () -> {
            for (int i = 0; i < nodeCount; i++) {
                if (i != victim && nodes.get(i).status(victimId).map(s -> s.state() != State.DEAD).orElse(true)) {
                    return false;
                }
            }
            return true;
        });
        say("every survivor has declared node " + (victim + 1) + " dead");
        await("every survivor's events are delivered", () -> seen.stream()
                .filter(s -> s.what().startsWith("declares")).count() >= nodeCount - 1L);

        out.println();
        out.println("timeline after the crash (node " + (victim + 1) + ", " + victimId + "):");
        List<Seen> ordered = new ArrayList<>(seen);
        ordered.sort(Comparator.comparing(Seen::at));
        for (Seen s : ordered) {
            out.printf(Locale.ROOT, "  %+8.3fs  node %d (%s) %s%n", seconds(crashedAt, s.at()), s.observer() + 1,
                    nodes.get(s.observer()).localAddress(), s.what());
        }
        out.println();
        out.println("per survivor:");
        String header = String.format(Locale.ROOT, "  %-6s %-22s %-16s %-16s %s", "NODE", "ADDRESS",
                "SUSPECTED AFTER", "DEAD AFTER", "RTT TO IT (smoothed)  RTT P99 (all its probes)");
        out.println(header);
        for (int i = 0; i < nodeCount; i++) {
            if (i == victim) {
                continue;
            }
            int observer = i;
            Optional<Seen> suspected = ordered.stream()
                    .filter(s -> s.observer() == observer && s.what().startsWith("suspects")).findFirst();
            Optional<Seen> dead = ordered.stream()
                    .filter(s -> s.observer() == observer && s.what().startsWith("declares")).findFirst();
            Optional<Status> st = nodes.get(i).status(victimId);
            out.printf(Locale.ROOT, "  %-6s %-22s %-16s %-16s %-21s %s%n", "node " + (i + 1),
                    nodes.get(i).localAddress(),
                    suspected.map(s -> String.format(Locale.ROOT, "%.3fs", seconds(crashedAt, s.at())))
                            .orElse("(by gossip)"),
                    dead.map(s -> String.format(Locale.ROOT, "%.3fs", seconds(crashedAt, s.at()))).orElse("-"),
                    st.flatMap(Status::rtt).map(DemoCommand::ms).orElse("-"),
                    ms(Duration.ofNanos(1000 * nodes.get(i).counters().getOrDefault("rttP99Us", 0L))));
        }
        out.println();
        long datagrams = 0;
        long bytes = 0;
        for (int i = 0; i < nodeCount; i++) {
            if (i != victim) {
                datagrams += nodes.get(i).counters().getOrDefault("datagramsOut", 0L);
                bytes += nodes.get(i).counters().getOrDefault("bytesOut", 0L);
            }
        }
        say(String.format(Locale.ROOT, "the %d survivors sent %d datagrams (%d bytes) in all", nodeCount - 1,
                datagrams, bytes));
        for (PulseNode n : nodes) {
            n.close();
        }
        say("all nodes closed; nothing left running. Next: ./pulse agent --help");
        out.flush();
        return 0;
    }

    private void printRttMatrix(List<PulseNode> nodes) {
        StringBuilder head = new StringBuilder("          ");
        for (int j = 0; j < nodes.size(); j++) {
            head.append(String.format(Locale.ROOT, "%10s", "node " + (j + 1)));
        }
        out.println(head);
        for (int i = 0; i < nodes.size(); i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-8s", "node " + (i + 1)));
            for (int j = 0; j < nodes.size(); j++) {
                String cell = i == j ? "-" : nodes.get(i).status(nodes.get(j).localAddress()).flatMap(Status::rtt)
                        .map(DemoCommand::ms).orElse("?");
                row.append(String.format(Locale.ROOT, "%10s", cell));
            }
            out.println(row);
        }
    }

    private static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.3fms", d.toNanos() / 1e6);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private void say(String line) {
        out.printf(Locale.ROOT, "[%6.2fs] %s%n", (System.nanoTime() - t0) / 1e9, line);
        out.flush();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new UserException("gave up after " + STEP_DEADLINE.toSeconds() + "s waiting until " + what
                        + " (a very busy machine? try again)");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
