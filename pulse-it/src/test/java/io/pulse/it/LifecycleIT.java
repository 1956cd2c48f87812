package io.pulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster's life on real processes over loopback UDP: it converges, notices a crash (SIGKILL) exactly once per
 * survivor, tells a graceful stop (SIGTERM) from a failure, and takes back a member restarted on the same address.
 *
 * <p>Preset {@code local} (probe every 1 s, 200 ms probe timeout, suspicion multiplier 3): loopback is quick, so
 * the tests are too; every wait is a generous bound ({@link Await#CLUSTER}), never an expectation.
 */
class LifecycleIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();

    @Test
    void fiveAgentsConverge() throws Exception {
        List<Agent> agents = cluster.start(5, "--preset", "local");
        for (Agent a : agents) {
            Map<String, Map<String, Object>> all = a.statusAll();
            for (Agent b : agents) {
                if (b != a) {
                    assertEquals("ALIVE", all.get(b.id()).get("state"), a.name + " on " + b.name + ": " + all);
                }
            }
            Map<String, Object> health = a.health();
            assertEquals(a.id(), health.get("id"));
            assertEquals("ALIVE", health.get("state"));
        }

        // the CLI sees the same: 'pulse status' as a process of its own, table and JSON
        Agent first = agents.get(0);
        String table = pulse(first, "status", "--http", Cluster.HOST + ":" + first.httpPort);
        String json = pulse(first, "status", "--http", Cluster.HOST + ":" + first.httpPort, "--json");
        for (Agent a : agents) {
            assertTrue(table.contains(a.id()), "pulse status lists " + a.id() + ":\n" + table);
            assertTrue(json.contains("\"" + a.id() + "\""), "pulse status --json lists " + a.id() + ":\n" + json);
        }
    }

    /** Runs {@code pulse ARGS} on the module path, expects exit status 0, returns its standard output. */
    private String pulse(Agent near, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Processes.java(), "-p", Processes.lib().toString(), "-m",
                "io.pulse.agent/io.pulse.agent.Main"));
        cmd.addAll(List.of(args));
        Path out = cluster.dir().resolve("pulse-" + String.join("-", args).replaceAll("[^a-z0-9-]", "_")
                + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + ": still running after 60 s");
        }
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " (near " + near.name + "):\n" + text);
        return text;
    }

    @Test
    void sigkilledMemberIsDeclaredDeadOncePerSurvivor() throws Exception {
        List<Agent> agents = cluster.start(5, "--preset", "local");
        Agent victim = agents.get(2);
        List<Agent> survivors = Cluster.others(agents, victim);

        victim.kill9();

        Cluster.awaitEveryone("every survivor reports " + victim.name + " DEAD", survivors, List.of(victim),
                m -> "DEAD".equals(m.get("state")));
        // let any late or duplicate news arrive before counting
        Await.sleep(5_000);
        for (Agent s : survivors) {
            assertEquals(1, s.events("dead", victim.id()).size(),
                    s.name + " logged the death of " + victim.name + " not exactly once: "
                            + s.events("dead", victim.id()));
            assertEquals(1.0, s.metric("pulse_deaths_total"), s.name + ": pulse_deaths_total");
            for (Agent other : Cluster.others(survivors, s)) {
                assertEquals("ALIVE", Cluster.view(s, other).get("state"), s.name + " on " + other.name);
            }
        }
    }

    @Test
    void sigtermLeavesGracefullyWithoutFailure() throws Exception {
        List<Agent> agents = cluster.start(4, "--preset", "local");
        Agent leaver = agents.get(3);
        List<Agent> stayers = Cluster.others(agents, leaver);

        assertEquals(0, leaver.terminate(60), leaver.name + ": exit status after SIGTERM");

        Cluster.awaitEveryone("every member reports " + leaver.name + " LEFT", stayers, List.of(leaver),
                m -> "LEFT".equals(m.get("state")));
        Await.sleep(5_000);
        for (Agent s : stayers) {
            assertEquals("LEFT", Cluster.view(s, leaver).get("state"), s.name + " on " + leaver.name);
            assertEquals(List.of(), s.events("dead", leaver.id()), s.name + " reported a failure of a leaver");
            assertEquals(0.0, s.metric("pulse_deaths_total"), s.name + ": pulse_deaths_total");
            assertEquals(1, s.events("left", leaver.id()).size(), s.name + ": 'left' events");
        }
        assertTrue(leaver.outLines().stream().anyMatch(l -> l.contains("leaving the cluster")),
                "the leaver says it leaves: " + leaver.outLines());
    }

    @Test
    void restartOnSameAddressComesBackWithHigherIncarnation() throws Exception {
        List<Agent> agents = cluster.start(3, "--preset", "local");
        Agent phoenix = agents.get(2);
        List<Agent> others = Cluster.others(agents, phoenix);

        phoenix.kill9();
        Cluster.awaitEveryone(phoenix.name + " DEAD everywhere", others, List.of(phoenix),
                m -> "DEAD".equals(m.get("state")));
        long deadInc = 0;
        for (Agent o : others) {
            deadInc = Math.max(deadInc, Cluster.incarnation(Cluster.view(o, phoenix)));
        }
        long before = deadInc;

        phoenix.restart();
        Cluster.awaitHealthy(phoenix);
        Cluster.awaitEveryone(phoenix.name + " ALIVE again with an incarnation above " + before, others,
                List.of(phoenix), m -> "ALIVE".equals(m.get("state")) && Cluster.incarnation(m) > before);
        Cluster.awaitConverged(agents);
        assertTrue(((Number) phoenix.health().get("incarnation")).longValue() > before,
                "the restarted agent's own incarnation: " + phoenix.health());
    }

    @Test
    void restartAfterLeavingComesBackWithHigherIncarnation() throws Exception {
        List<Agent> agents = cluster.start(3, "--preset", "local");
        Agent returner = agents.get(2);
        List<Agent> others = Cluster.others(agents, returner);
        assertEquals(0, returner.terminate(60));
        Cluster.awaitEveryone(returner.name + " LEFT everywhere", others, List.of(returner),
                m -> "LEFT".equals(m.get("state")));
        long before = others.stream().mapToLong(o -> {
            try {
                return Cluster.incarnation(Cluster.view(o, returner));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).max().orElseThrow();

        returner.restart();
        Cluster.awaitHealthy(returner);
        Cluster.awaitEveryone(returner.name + " ALIVE again with an incarnation above " + before, others,
                List.of(returner), m -> "ALIVE".equals(m.get("state")) && Cluster.incarnation(m) > before);
    }
}
