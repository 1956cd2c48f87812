package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.State;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse agent}: a two-node cluster, a graceful leave, and every user error. */
class AgentCommandTest {

    @TempDir
    Path dir;

    @Test
    void twoAgentsJoinLogEventsAndLeaveGracefully() throws Exception {
        try (Cli.Background a = new Cli.Background(new AgentCommand(),
                "--bind", "127.0.0.1:0", "--preset", "local", "--name", "a").awaitRunning()) {
            Identifier aId = a.command.node().localAddress();
            try (Cli.Background b = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0",
                    "--join", aId.toString(), "--preset", "local", "--metadata", "zone=eu-1",
                    "--metadata", "rack=7").awaitRunning()) {
                Identifier bId = b.command.node().localAddress();
                Cli.await("b has joined", () -> b.out.text().contains("joined the cluster through 1 of 1 seed"));
                Cli.await("a logs b's arrival with its metadata", () -> a.out.text()
                        .contains(" joined " + bId + " inc=") && a.out.text().contains("metadata=\"zone=eu-1,rack=7\""));
                Cli.await("b logs a's name", () -> b.out.text().contains("metadata=\"name=a\""));
                assertEquals(0, b.stop(), b.out.text() + b.err.text());
                assertTrue(b.out.text().contains("leaving the cluster"), b.out.text());
                Cli.await("a logs b's graceful leave", () -> a.out.text().contains(" left " + bId + " inc="));
                assertEquals(State.LEFT, a.command.node().status(bId).orElseThrow().state());
                assertTrue(b.err.text().isEmpty(), b.err.text());
            }
            assertEquals(0, a.stop());
            for (String line : a.out.text().split("\n")) {
                assertTrue(!line.contains(" dead "), "a leave is not a failure: " + line);
            }
        }
    }

    @Test
    void sealedAgentsJoinEachOtherAndRefuseAnAgentWithAnotherKey() throws Exception {
        Path keys = Files.writeString(dir.resolve("keyring"), "# test keyring\n" + key() + "\n");
        Path otherKeys = Files.writeString(dir.resolve("other"), key() + "\n");
        try (Cli.Background a = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0", "--preset", "local",
                "--key-file", keys.toString()).awaitRunning()) {
            assertTrue(a.out.text().contains("sealed"), a.out.text());
            String seed = a.command.node().localAddress().toString();
            try (Cli.Background b = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0",
                    "--preset", "local", "--key-file", keys.toString(), "--join", seed).awaitRunning()) {
                Cli.await("the sealed agent joins", () -> b.out.text().contains("joined the cluster"));
            }
            Cli.Result stranger = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0", "--preset", "local",
                    "--key-file", otherKeys.toString(), "--join", seed, "--join-timeout", "1s");
            assertEquals(1, stranger.exit(), stranger.toString());
            assertTrue(stranger.err().contains("no seed answered") && stranger.err().contains("--key-file"),
                    stranger.err());
            Cli.await("a counts the stranger's datagrams as unopenable", () -> a.command.node().counters()
                    .getOrDefault("transport.dropped.unknownKey", 0L) > 0);
        }
    }

    private static String key() {
        byte[] k = new byte[16];
        new java.security.SecureRandom().nextBytes(k);
        return java.util.Base64.getEncoder().encodeToString(k);
    }

    @Test
    void aBadBindAddressIsOneLineNamingTheFlagAndExits2() {
        Cli.Result r = Cli.run(new AgentCommand(), "--bind", "localhost");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--bind") && r.err().contains("HOST:PORT"), r.err());
        assertTrue(r.err().startsWith("agent: "), r.err());
    }

    @Test
    void aPortOutOfRangeExits2() {
        Cli.Result r = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:70000");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--bind") && r.err().contains("[0, 65535]"), r.err());
    }

    @Test
    void anUnknownPresetExits2NamingTheChoices() {
        Cli.Result r = Cli.run(new AgentCommand(), "--preset", "fast");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--preset") && r.err().contains("lan, wan or local"), r.err());
    }

    @Test
    void anUnknownFlagExits2() {
        Cli.Result r = Cli.run(new AgentCommand(), "--bogus");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--bogus"), r.err());
    }

    @Test
    void badMetadataExits2() {
        Cli.Result r = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0", "--metadata", "zone");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--metadata"), r.err());
        Cli.Result big = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0", "--metadata", "k=" + "x".repeat(5000));
        assertEquals(2, big.exit(), big.toString());
        assertTrue(big.err().contains("--metadata") && big.err().contains("at most"), big.err());
    }

    @Test
    void aTokenFileWithoutHttpExits2() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "abc\n");
        Cli.Result r = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0", "--http-token-file", token.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--http-token-file") && r.err().contains("--http"), r.err());
    }

    @Test
    void aMissingOrBadKeyFileExits2() throws Exception {
        Cli.Result missing = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0",
                "--key-file", dir.resolve("nope").toString());
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("--key-file") && missing.err().contains("no such file"), missing.err());
        Path bad = Files.writeString(dir.resolve("keys"), "not base64 !!!\n");
        Cli.Result garbage = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0", "--key-file", bad.toString());
        assertEquals(2, garbage.exit(), garbage.toString());
        assertEquals(1, garbage.errLines(), garbage.toString());
        assertTrue(garbage.err().contains("--key-file"), garbage.err());
    }

    @Test
    void aPortInUseIsAPlainMessageAndExits1() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(1, r.exit(), r.toString());
            assertEquals(1, r.errLines(), r.toString());
            assertTrue(r.err().contains("cannot bind") && r.err().contains("127.0.0.1:" + taken.getLocalPort()),
                    r.err());
            assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void anHttpPortInUseIsAPlainMessageAndExits1() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0",
                    "--http", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(1, r.exit(), r.toString());
            assertEquals(1, r.errLines(), r.toString());
            assertTrue(r.err().contains("cannot listen for HTTP"), r.err());
        }
    }

    @Test
    void aSeedThatNeverAnswersExits1AfterTheJoinTimeout() throws Exception {
        int silent;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent = s.getLocalPort();
        }
        Cli.Result r = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0", "--preset", "local",
                "--join", "127.0.0.1:" + silent, "--join-timeout", "1s");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("no seed answered") && r.err().contains("127.0.0.1:" + silent), r.err());
    }

    @Test
    void aStopWhileJoiningEndsTheWaitAndExits0() throws Exception {
        int silent;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent = s.getLocalPort();
        }
        try (Cli.Background a = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0", "--preset", "local",
                "--join", "127.0.0.1:" + silent, "--join-timeout", "1h").awaitRunning()) {
            assertEquals(0, a.stop(), a.out.text() + a.err.text());
            assertTrue(a.out.text().contains(": stopped"), a.out.text());
        }
    }

    @Test
    void bindingTheWildcardAddressWarns() throws Exception {
        try (Cli.Background a = new Cli.Background(new AgentCommand(), "--bind", "0.0.0.0:0", "--preset", "local")
                .awaitRunning()) {
            Cli.await("the warning", () -> a.out.text().contains("warning: bound to the wildcard address"));
            assertEquals(0, a.stop());
        }
    }

    @Test
    void aSeedNameThatDoesNotResolveExits1() {
        Cli.Result r = Cli.run(new AgentCommand(), "--bind", "127.0.0.1:0",
                "--join", "no-such-host.invalid:7946", "--join-timeout", "1s");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("no-such-host.invalid"), r.err());
    }

    @Test
    void helpHasExamples() {
        Cli.Result r = Cli.run(new AgentCommand(), "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Examples:") && r.out().contains("--join") && r.out().contains("--http"),
                r.out());
    }
}
