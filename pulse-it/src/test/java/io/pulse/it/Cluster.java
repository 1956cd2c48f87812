package io.pulse.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * The agents of one test (a JUnit extension, one per test): starts them on free loopback ports, reads what they
 * see, and after the test ends every process it started, whatever happened (CONT, TERM, then KILL), after printing
 * their logs if the test failed. Logs stay in {@code target/it-work/<class>/<test>/}.
 */
final class Cluster implements BeforeEachCallback, AfterEachCallback {

    static final String HOST = "127.0.0.1";

    private final List<Agent> agents = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) {
        dir = Processes.workDir(context.getRequiredTestClass().getSimpleName(),
                context.getRequiredTestMethod().getName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().filter(e -> !(e instanceof TestAbortedException)).isPresent()) {
            System.err.println("===== " + context.getDisplayName() + " failed; the agents' logs (all in " + dir
                    + "):");
            for (Agent a : agents) {
                System.err.println("===== " + a);
                System.err.println(a.logs(150));
            }
        }
        closeAll();
    }

    /** Ends every agent and runs the registered cleanups, last first. */
    synchronized void closeAll() {
        for (Agent a : agents) {
            try {
                a.destroy();
            } catch (RuntimeException e) {
                System.err.println("could not end " + a + ": " + e);
            }
        }
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            try {
                cleanups.get(i).run();
            } catch (RuntimeException e) {
                System.err.println("cleanup failed: " + e);
            }
        }
        cleanups.clear();
    }

    /** This test's directory for logs and files. */
    Path dir() {
        return dir;
    }

    /** Runs {@code r} after the test, after the agents are gone. */
    synchronized void onClose(Runnable r) {
        cleanups.add(r);
    }

    /**
     * An agent on free loopback ports with its HTTP API, not started: {@code --bind}, {@code --http} and
     * {@code --name}, then {@code args}.
     */
    synchronized Agent agent(String name, String... args) {
        int port = Ports.udp();
        int http = Ports.tcp();
        List<String> all = new ArrayList<>(List.of("--bind", HOST + ":" + port, "--http", HOST + ":" + http,
                "--name", name));
        all.addAll(Arrays.asList(args));
        return register(new Agent(name, HOST, port, http, List.of(), all, dir));
    }

    /** Registers an agent built elsewhere, so that it is ended after the test. */
    synchronized Agent register(Agent a) {
        agents.add(a);
        return a;
    }

    /**
     * Starts {@code n} agents named {@code n1..nN} with these flags: the first, then the others at once joining
     * it, and waits until every one answers {@code /health} and sees all the others ALIVE.
     */
    List<Agent> start(int n, String... args) {
        List<Agent> started = new ArrayList<>();
        Agent first = agent("n1", args).start();
        started.add(first);
        awaitHealthy(first);
        for (int i = 2; i <= n; i++) {
            String[] joined = Arrays.copyOf(args, args.length + 2);
            joined[args.length] = "--join";
            joined[args.length + 1] = first.id();
            started.add(agent("n" + i, joined).start());
        }
        for (Agent a : started) {
            awaitHealthy(a);
        }
        awaitConverged(started);
        return started;
    }

    /** Waits until the agent's {@code /health} answers 200. */
    static void awaitHealthy(Agent a) {
        Await.until(a.name + " answers /health with 200", Await.CLUSTER, () -> {
            if (!a.alive()) {
                throw new AssertionError(a.name + " exited with status " + a.process().exitValue()
                        + " before it was healthy:\n" + a.logs(40));
            }
            return a.healthy() ? null : "not yet";
        });
    }

    /** Waits until every agent sees every other one ALIVE in {@code /status/all}. */
    static void awaitConverged(List<Agent> agents) {
        awaitEveryone("all " + agents.size() + " agents see each other ALIVE", agents, agents,
                m -> "ALIVE".equals(m.get("state")));
    }

    /**
     * Waits until each observer's {@code /status/all} shows each member (other than itself) satisfying
     * {@code holds}.
     */
    static void awaitEveryone(String what, List<Agent> observers, List<Agent> members,
                              Predicate<Map<String, Object>> holds) {
        Await.until(what, Await.CLUSTER, () -> {
            List<String> unmet = new ArrayList<>();
            for (Agent o : observers) {
                Map<String, Map<String, Object>> all = o.statusAll();
                for (Agent m : members) {
                    if (m == o) {
                        continue;
                    }
                    Map<String, Object> s = all.get(m.id());
                    if (s == null || !holds.test(s)) {
                        unmet.add(o.name + " sees " + m.name + " as " + (s == null ? "unknown" : s.get("state")
                                + " inc=" + s.get("incarnation")));
                    }
                }
            }
            return unmet.isEmpty() ? null : String.join("; ", unmet);
        });
    }

    /** What {@code observer} says of {@code member} in {@code /status/all}, or null if it does not know it. */
    static Map<String, Object> view(Agent observer, Agent member) throws Exception {
        return observer.statusAll().get(member.id());
    }

    /** A member's incarnation as a long. */
    static long incarnation(Map<String, Object> status) {
        return ((Number) status.get("incarnation")).longValue();
    }

    /** Every agent but {@code except}. */
    static List<Agent> others(List<Agent> agents, Agent except) {
        return agents.stream().filter(a -> a != except).collect(Collectors.toList());
    }
}
