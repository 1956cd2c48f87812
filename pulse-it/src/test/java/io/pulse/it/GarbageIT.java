package io.pulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 100,000 random and damaged datagrams fired at a live agent: it keeps answering probes, its peers never doubt it,
 * and its {@code /metrics} counts what it dropped, by reason.
 */
class GarbageIT {

    private static final int DATAGRAMS = 100_000;
    private static final long SEED = Long.getLong("pulse.it.seed", 20261125L);

    @RegisterExtension
    final Cluster cluster = new Cluster();

    @Test
    void garbageIsCountedAndDroppedWhileTheAgentStaysAlive() throws Exception {
        System.out.println("GarbageIT: seed " + SEED + " (rerun with -Dpulse.it.seed=" + SEED + ")");
        List<Agent> agents = cluster.start(3, "--preset", "local");
        Agent target = agents.get(0);
        List<Agent> peers = Cluster.others(agents, target);
        Frames frames = new Frames(new SplittableRandom(SEED));
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(target.host), target.port);
        byte[] targetId = Frames.identity(InetAddress.getByName(target.host).getAddress(), target.port);

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            byte[] me = Frames.identity(InetAddress.getLoopbackAddress().getAddress(), socket.getLocalPort());
            awaitAck(socket, to, me, targetId, 1);
            double acksBefore = target.metric("pulse_acks_sent_total");

            int[] sent = new int[4];
            for (int i = 0; i < DATAGRAMS; i++) {
                int kind = i % 20 < 6 ? 0 : i % 20 < 9 ? 1 : i % 20 < 14 ? 2 : 3;
                byte[] d = switch (kind) {
                    case 0 -> frames.randomBytes();
                    case 1 -> frames.headerThenNoise();
                    case 2 -> frames.validish();
                    default -> frames.mutate(i % 2 == 0 ? frames.validish() : Frames.ping(me, targetId, i));
                };
                socket.send(new DatagramPacket(d, d.length, to));
                sent[kind]++;
                if (i % 100 == 99) {
                    Await.sleep(4); // a steady stream, not a burst the socket buffer would drop
                }
            }
            System.out.printf("GarbageIT: sent %d random, %d header+noise, %d well-formed from strangers, %d damaged%n",
                    sent[0], sent[1], sent[2], sent[3]);

            // it still answers a probe, and answered probes meanwhile
            awaitAck(socket, to, me, targetId, 2);
            assertTrue(target.metric("pulse_acks_sent_total") > acksBefore, "acks sent grew during the flood");
        }

        Map<String, Double> drops = new TreeMap<>();
        Map<String, Double> metrics = target.metrics();
        metrics.forEach((k, v) -> {
            if (k.startsWith("pulse_dropped_datagrams_total{")) {
                drops.put(k.substring("pulse_dropped_datagrams_total".length()), v);
            }
        });
        double dropped = drops.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.println("GarbageIT: " + target.name + " dropped " + (long) dropped + " datagrams: " + drops);
        System.out.println("GarbageIT: transport received "
                + metrics.get("pulse_transport_datagrams_received_total") + ", engine handled "
                + metrics.get("pulse_datagrams_received_total"));
        assertTrue(dropped >= DATAGRAMS / 2.0, "at least half the garbage is counted as dropped: " + drops);
        assertTrue(drops.getOrDefault("{layer=\"transport\",reason=\"badMagic\"}", 0.0) > 0,
                "random bytes counted as badMagic: " + drops);
        assertTrue(drops.getOrDefault("{layer=\"protocol\",reason=\"badChecksum\"}", 0.0) > 0,
                "damaged frames counted as badChecksum: " + drops);
        assertTrue(drops.keySet().stream().filter(k -> k.contains("protocol")).count() >= 3,
                "several protocol-level reasons: " + drops);

        // its peers never doubted it, and it is still a member in good standing
        Cluster.awaitConverged(agents);
        for (Agent p : peers) {
            assertEquals(List.of(), p.events("dead", target.id()), p.name + " declared the target dead");
        }
        assertEquals("ALIVE", target.health().get("state"));
        assertEquals(0.0, target.metric("pulse_loop_errors_total"), "errors in the target's event loop");
    }

    /** Sends PINGs until an ACK with the sequence number comes back (a real answer to a real probe). */
    private static void awaitAck(DatagramSocket socket, InetSocketAddress to, byte[] me, byte[] targetId, int seq)
            throws Exception {
        socket.setSoTimeout(500);
        byte[] buf = new byte[65536];
        Await.until("the target answers a PING with ACK " + seq, Duration.ofSeconds(60), () -> {
            byte[] ping = Frames.ping(me, targetId, seq);
            socket.send(new DatagramPacket(ping, ping.length, to));
            long end = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < end) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (hasAck(ByteBuffer.wrap(p.getData(), 0, p.getLength()), seq)) {
                    return null;
                }
            }
            return "no ACK yet";
        });
    }

    /** Whether a plaintext frame holds ACK(seq): skips the header and sender, walks the messages. */
    static boolean hasAck(ByteBuffer f, int seq) {
        int n = f.limit();
        if (n < 9 + 7 + 4 || f.get(7) != Frames.VERSION) {
            return false;
        }
        int at = 9 + (f.get(9) == 6 ? 19 : 7);
        while (at + 3 <= n - 4) {
            byte type = f.get(at);
            int len = f.getShort(at + 1) & 0xffff;
            if (type == Frames.ACK && len == 4 && f.getInt(at + 3) == seq) {
                return true;
            }
            at += 3 + len;
        }
        return false;
    }
}
