package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real process: SIGTERM makes an agent leave the cluster gracefully and exit 0. */
class SignalTest {

    @Test
    void sigtermLeavesGracefullyAndExits0() throws Exception {
        assumeTrue(File.separatorChar == '/', "signals are a POSIX matter");
        try (Cli.Background peer = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0",
                "--preset", "local").awaitRunning()) {
            String seed = peer.command.node().localAddress().toString();
            String child = runAndTerminate(seed);
            Cli.await("the peer logs the child's graceful leave", () -> peer.out.text().contains(" left " + child));
            assertTrue(!peer.out.text().contains(" dead " + child), peer.out.text());
        }
    }

    /** Starts an agent process joining {@code seed}, SIGTERMs it once it has joined; returns its identifier. */
    private static String runAndTerminate(String seed) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", cp, Main.class.getName(), "agent",
                "--bind", "127.0.0.1:0", "--preset", "local", "--join", seed).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            Cli.await("the agent has joined", () -> lines.stream().anyMatch(l -> l.contains("joined the cluster"))
                    || !p.isAlive());
            assertTrue(p.isAlive(), String.join("\n", lines));
            // SIGTERM. Not Process.destroy(): it also closes our end of the child's output, losing what follows.
            assertTrue(p.toHandle().destroy());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the agent stopped");
            reader.join(10_000);
            assertEquals(0, p.exitValue(), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.contains("leaving the cluster")), String.join("\n", lines));
            assertTrue(lines.stream().anyMatch(l -> l.endsWith(": stopped")), String.join("\n", lines));
            // the first line of the agent's own (JDK 24+ may print Unsafe deprecation warnings before it)
            String first = lines.stream().filter(l -> !l.startsWith("WARNING")).findFirst().orElseThrow();
            return first.split(" ")[2];
        } finally {
            p.destroyForcibly();
        }
    }
}
