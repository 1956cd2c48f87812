package io.pulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Across hosts, as far as one machine can fake them: three network namespaces, each with its own address
 * (10.213.0.1-3/24) on a veth pair whose other end is on a bridge in a fourth namespace (the switch), and
 * {@code tc netem} adding 10% loss and 20 ms delay on every node's link. Nothing is routed out of the namespaces:
 * the test's traffic never leaves them.
 *
 * <p>A cluster of three agents (preset {@code lan}) across them must show no false positive for a minute (no member
 * declared DEAD; suspicions are allowed and counted), then detect a member killed with SIGKILL. The agents' HTTP
 * APIs are unreachable from the host, so the test reads their event logs.
 *
 * <p>Needs root, iproute2 and namespaces (skipped with the reason otherwise); where the kernel lacks netem, the
 * cluster runs across the namespaces without loss or delay and says so.
 */
class NamespacesIT {

    private static final String SUBNET = "10.213.0.";
    private static final int PORT = 7946;

    @RegisterExtension
    final Cluster cluster = new Cluster();

    @Test
    void clusterAcrossNamespacesWithLossAndDelay() throws Exception {
        String tag = "pit" + (ProcessHandle.current().pid() % 100_000);
        String sw = tag + "-sw";
        List<String> nodes = List.of(tag + "-n1", tag + "-n2", tag + "-n3");
        String probe = tag + "-probe";
        Sh probeAdd = sh("ip", "netns", "add", probe);
        Assumptions.assumeTrue(probeAdd.ok(), "network namespaces not available here (needs root and iproute2): "
                + "'ip netns add' said: " + probeAdd.out.strip());
        Sh probeExec = sh("ip", "netns", "exec", probe, "true");
        sh("ip", "netns", "del", probe);
        Assumptions.assumeTrue(probeExec.ok(), "cannot run a process in a network namespace here: 'ip netns exec' "
                + "said: " + probeExec.out.strip());

        List<String> all = new ArrayList<>(nodes);
        all.add(sw);
        for (String ns : all) {
            sh("ip", "netns", "del", ns); // a leftover of an interrupted run
        }
        cluster.onClose(() -> {
            for (String ns : all) {
                sh("ip", "netns", "del", ns);
            }
        });
        boolean netem = true;
        String netemError = "";
        try {
            for (String ns : all) {
                must("ip", "netns", "add", ns);
                must("ip", "-n", ns, "link", "set", "lo", "up");
            }
            must("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
            must("ip", "-n", sw, "link", "set", "br0", "up");
            for (int i = 0; i < nodes.size(); i++) {
                String ns = nodes.get(i);
                String inside = "eth" + (i + 1);
                String port = "port" + (i + 1);
                must("ip", "link", "add", inside, "netns", ns, "type", "veth", "peer", "name", port, "netns", sw);
                must("ip", "-n", sw, "link", "set", port, "master", "br0");
                must("ip", "-n", sw, "link", "set", port, "up");
                must("ip", "-n", ns, "addr", "add", SUBNET + (i + 1) + "/24", "dev", inside);
                must("ip", "-n", ns, "link", "set", inside, "up");
                Sh tc = sh("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", inside, "root", "netem", "loss",
                        "10%", "delay", "20ms");
                if (!tc.ok()) {
                    netem = false;
                    netemError = tc.out.strip();
                }
            }
        } catch (SetupFailed e) {
            Assumptions.abort("cannot build the namespace network here (veth pairs and a bridge): "
                    + e.getMessage());
        }
        if (!netem) {
            System.out.println("NamespacesIT: tc netem is not available here (" + netemError + "; the kernel "
                    + "lacks sch_netem or tc is missing): running across the namespaces WITHOUT loss and delay");
        }

        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String host = SUBNET + (i + 1);
            List<String> args = new ArrayList<>(List.of("--bind", host + ":" + PORT, "--name", "n" + (i + 1),
                    "--preset", "lan"));
            if (i > 0) {
                args.addAll(List.of("--join", SUBNET + "1:" + PORT, "--join-timeout", "60s"));
            }
            Agent a = cluster.register(new Agent("n" + (i + 1), host, PORT, -1,
                    List.of("ip", "netns", "exec", nodes.get(i)), args, cluster.dir()));
            a.start();
            agents.add(a);
            if (i == 0) {
                Await.until("n1 runs", Await.CLUSTER, () -> running(a));
            }
        }
        Await.until("every agent learns of the other two", Duration.ofSeconds(120), () -> {
            List<String> missing = new ArrayList<>();
            for (Agent a : agents) {
                if (!a.alive()) {
                    throw new AssertionError(a.name + " exited: " + a.logs(40));
                }
                for (Agent b : agents) {
                    if (a != b && a.events("joined", b.id()).isEmpty()) {
                        missing.add(a.name + " has not seen " + b.name + " join");
                    }
                }
            }
            return missing.isEmpty() ? null : String.join("; ", missing);
        });

        // a minute of lossy, slow links: suspicions may come and go, deaths may not
        Await.sleep(60_000);
        int suspicions = 0;
        for (Agent a : agents) {
            assertEquals(true, a.alive(), a.name + " is running");
            for (Agent b : agents) {
                assertEquals(List.of(), a.events("dead", b.id()), a.name + " declared " + b.name + " dead");
                suspicions += a.events("suspect", b.id()).size();
            }
        }
        System.out.println("NamespacesIT: no false positive in 60 s" + (netem ? " with 10% loss and 20 ms delay"
                : " (no netem)") + "; " + suspicions + " suspicion events, none became a death");

        Agent victim = agents.get(2);
        victim.kill9();
        Await.until("n1 and n2 declare n3 dead", Await.CLUSTER, () -> {
            List<String> not = new ArrayList<>();
            for (Agent a : agents.subList(0, 2)) {
                if (a.events("dead", victim.id()).isEmpty()) {
                    not.add(a.name);
                }
            }
            return not.isEmpty() ? null : "not yet: " + not;
        });
        for (Agent a : agents.subList(0, 2)) {
            assertEquals(List.of(), a.events("dead", agents.get(a == agents.get(0) ? 1 : 0).id()),
                    a.name + " declared a live member dead");
        }
    }

    private static String running(Agent a) {
        if (!a.alive()) {
            throw new AssertionError(a.name + " exited: " + a.logs(40));
        }
        return a.outLines().stream().anyMatch(l -> l.contains(" running as ")) ? null : "not yet";
    }

    private record Sh(int status, String out) {
        boolean ok() {
            return status == 0;
        }
    }

    /** A step of building the network failed: the machine cannot do this, which is not a failure of pulse. */
    private static final class SetupFailed extends Exception {
        private static final long serialVersionUID = 1L;

        SetupFailed(String message) {
            super(message);
        }
    }

    private static void must(String... cmd) throws SetupFailed {
        Sh r = sh(cmd);
        if (!r.ok()) {
            throw new SetupFailed(String.join(" ", cmd) + " failed (" + r.status + "): " + r.out.strip());
        }
    }

    private static Sh sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Sh(-1, "timed out");
            }
            return new Sh(p.exitValue(), out);
        } catch (IOException e) {
            return new Sh(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sh(-1, e.toString());
        }
    }
}
