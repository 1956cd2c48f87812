package io.pulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster sealed with a key ({@code --key-file}): strangers without the key, or with another one, cannot join and
 * their datagrams are counted as rejected; and the key can be rotated, node by node, without a single suspicion.
 *
 * <p>The agent has no way to change the keys of a running process (no reload of the key file, on SIGHUP or
 * otherwise), although the UDP transport supports it ({@code UdpTransport.updateKeyring}); this is reported as a
 * missing agent feature. The rotation here is therefore a rolling restart: each node in turn stops gracefully and
 * comes back with the next keyring file (add the new key, make it primary, drop the old one), the way an operator
 * would do it with today's agent.
 */
class SealedClusterIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void strangersCannotJoinAndAreCounted() throws Exception {
        byte[] key = key();
        Path keyFile = keyFile("cluster.keys", key);
        List<Agent> agents = cluster.start(3, "--preset", "local", "--key-file", keyFile.toString());
        Agent seed = agents.get(0);

        Agent plain = cluster.agent("plain", "--preset", "local", "--join", seed.id(), "--join-timeout", "5s").start();
        assertEquals(1, exitStatus(plain), "a node without the key gives up joining");
        assertTrue(plain.outLines().stream().noneMatch(l -> l.contains("joined the cluster")), "plain joined?");
        Path wrongFile = keyFile("wrong.keys", key());
        Agent wrong = cluster.agent("wrong", "--preset", "local", "--join", seed.id(), "--join-timeout", "5s",
                "--key-file", wrongFile.toString()).start();
        assertEquals(1, exitStatus(wrong), "a node with another key gives up joining");

        // a forgery: the cluster key's id, but not sealed with it
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            byte[] d = new byte[25 + 40 + 16];
            RANDOM.nextBytes(d);
            ByteBuffer.wrap(d).put(Frames.MAGIC).put(Frames.VERSION).put((byte) 1)
                    .put(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
            for (int i = 0; i < 10; i++) {
                s.send(new DatagramPacket(d, d.length, InetAddress.getByName(seed.host), seed.port));
            }
        }

        String prefix = "pulse_dropped_datagrams_total{layer=\"transport\",reason=\"";
        Await.until("the seed counts the strangers' datagrams as rejected", Await.CLUSTER, () -> {
            double plaintext = seed.metric(prefix + "plaintextRefused\"}");
            double unknownKey = seed.metric(prefix + "unknownKey\"}");
            double failed = seed.metric(prefix + "failedToOpen\"}");
            return plaintext > 0 && unknownKey > 0 && failed >= 10 ? null
                    : "plaintextRefused=" + plaintext + ", unknownKey=" + unknownKey + ", failedToOpen=" + failed;
        });
        for (Agent a : agents) {
            assertFalse(a.statusAll().containsKey(plain.id()), a.name + " lists the plaintext node");
            assertFalse(a.statusAll().containsKey(wrong.id()), a.name + " lists the wrong-key node");
        }
        Cluster.awaitConverged(agents);
    }

    @Test
    void rollingKeyRotationCausesNoSuspicion() throws Exception {
        byte[] oldKey = key();
        byte[] newKey = key();
        List<Agent> agents = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path f = keyFile("n" + i + ".keys", oldKey);
            files.add(f);
            List<String> args = new ArrayList<>(List.of("--preset", "local", "--key-file", f.toString()));
            if (i > 1) {
                args.addAll(List.of("--join", agents.get(0).id()));
            }
            Agent a = cluster.agent("n" + i, args.toArray(String[]::new)).start();
            agents.add(a);
            Cluster.awaitHealthy(a);
        }
        Cluster.awaitConverged(agents);

        // 1. every node learns the new key (opens with it); 2. every node seals with it; 3. the old key goes
        List<List<byte[]>> phases = List.of(List.of(oldKey, newKey), List.of(newKey, oldKey), List.of(newKey));
        for (int phase = 0; phase < phases.size(); phase++) {
            for (int i = 0; i < agents.size(); i++) {
                Agent a = agents.get(i);
                assertEquals(0, a.terminate(60), a.name + ": exit status after SIGTERM");
                Files.writeString(files.get(i), keyring(phases.get(phase)));
                if (i == 0 && phase == 0) {
                    a.restartWith("--join", agents.get(1).id());
                } else {
                    a.restart();
                }
                Cluster.awaitHealthy(a);
                Cluster.awaitConverged(agents);
            }
        }

        // the old key is gone everywhere: a node holding only the old key is now a stranger
        Agent stale = cluster.agent("stale", "--preset", "local", "--join", agents.get(0).id(), "--join-timeout",
                "5s", "--key-file", keyFile("stale.keys", oldKey).toString()).start();
        assertEquals(1, exitStatus(stale), "a node with only the retired key cannot join");

        for (Agent a : agents) {
            for (Agent b : agents) {
                assertEquals(List.of(), a.events("suspect", b.id()), a.name + " suspected " + b.name);
                assertEquals(List.of(), a.events("dead", b.id()), a.name + " declared " + b.name + " dead");
            }
        }
    }

    private static int exitStatus(Agent a) throws InterruptedException {
        if (!a.process().waitFor(90, TimeUnit.SECONDS)) {
            throw new AssertionError(a.name + " still running after 90 s; it should have given up joining");
        }
        return a.process().exitValue();
    }

    private static byte[] key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    private Path keyFile(String name, byte[]... keys) throws Exception {
        Path f = cluster.dir().resolve(name);
        Files.writeString(f, keyring(List.of(keys)));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static String keyring(List<byte[]> keys) {
        StringBuilder b = new StringBuilder("# pulse keyring: the first key seals, all open\n");
        for (byte[] k : keys) {
            b.append(Base64.getEncoder().encodeToString(k)).append('\n');
        }
        return b.toString();
    }
}
