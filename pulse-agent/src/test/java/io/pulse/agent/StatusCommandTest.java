package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse status} against a running agent, and its user errors. */
class StatusCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsATableOrJsonOfTheAgentsMembers() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
        try (Cli.Background a = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0",
                "--http", "127.0.0.1:0", "--http-token-file", token.toString(), "--preset", "local").awaitRunning();
             Cli.Background b = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0",
                "--join", a.command.node().localAddress().toString(), "--preset", "local").awaitRunning()) {
            Identifier bId = b.command.node().localAddress();
            Cli.await("a measured b", () -> a.command.node().status(bId).flatMap(s -> s.rtt()).isPresent());
            String http = ":" + a.command.api().orElseThrow().address().getPort();

            Cli.Result table = Cli.run(new StatusCommand(), "--http", http, "--http-token-file", token.toString());
            assertEquals(0, table.exit(), table.toString());
            List<String> lines = table.out().lines().toList();
            assertTrue(lines.get(0).matches("ID +STATE +INC +RTT +RTT P99 +LAST CONTACT"), table.out());
            assertEquals(3, lines.size(), table.out());
            String bLine = lines.stream().filter(l -> l.startsWith(bId.toString())).findFirst().orElseThrow();
            assertTrue(bLine.matches(".* ALIVE +\\d+ +\\d+\\.\\d+ ms .*s ago \\(.*Z\\)"), bLine);

            Cli.Result json = Cli.run(new StatusCommand(), "--http", http, "--json",
                    "--http-token-file", token.toString());
            assertEquals(0, json.exit(), json.toString());
            List<Object> members = Json.readList(json.out());
            assertEquals(2, members.size());
            for (Object o : members) {
                Map<?, ?> m = (Map<?, ?>) o;
                assertTrue(m.keySet().containsAll(List.of("id", "state", "incarnation", "rttMs", "rttP99Ms",
                        "lastContact", "firstContact")), m.toString());
            }

            Cli.Result noToken = Cli.run(new StatusCommand(), "--http", http);
            assertEquals(1, noToken.exit(), noToken.toString());
            assertEquals(1, noToken.errLines(), noToken.toString());
            assertTrue(noToken.err().contains("--http-token-file"), noToken.err());
        }
    }

    @Test
    void anUnreachableAgentIsAPlainMessageAndExits1() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Cli.Result r = Cli.run(new StatusCommand(), "--http", "127.0.0.1:" + closed);
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("cannot reach the agent at 127.0.0.1:" + closed), r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
    }

    @Test
    void badFlagsExit2() {
        Cli.Result missing = Cli.run(new StatusCommand());
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("--http"), missing.err());
        Cli.Result bad = Cli.run(new StatusCommand(), "--http", "127.0.0.1:http");
        assertEquals(2, bad.exit(), bad.toString());
        assertEquals(1, bad.errLines(), bad.toString());
        assertTrue(bad.err().contains("--http") && bad.err().contains("[0, 65535]"), bad.err());
        Cli.Result file = Cli.run(new StatusCommand(), "--http", ":1", "--http-token-file",
                dir.resolve("none").toString());
        assertEquals(2, file.exit(), file.toString());
        assertTrue(file.err().contains("--http-token-file"), file.err());
    }

    @Test
    void theTableSaysNeverAndDashesForMissingValues() {
        String t = StatusCommand.table(List.of(Map.of("id", "127.0.0.1:1", "state", "PENDING", "incarnation", 0)),
                Instant.now());
        assertTrue(t.lines().skip(1).findFirst().orElseThrow().matches("127\\.0\\.0\\.1:1 +PENDING +0 +- +- +never"), t);
        assertTrue(StatusCommand.table(List.of(), Instant.now()).contains("(no members known)"));
    }

    @Test
    void helpHasExamples() {
        Cli.Result r = Cli.run(new StatusCommand(), "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Examples:") && r.out().contains("--json"), r.out());
    }
}
