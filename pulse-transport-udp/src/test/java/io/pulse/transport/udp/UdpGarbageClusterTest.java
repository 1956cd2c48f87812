package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.State;
import io.pulse.transport.udp.LoopbackCluster.Member;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Garbage fired at a live node of a three-node cluster from a separate socket: random bytes; frames with the right
 * magic and a broken envelope, flags, checksum, identity, message type, length, metadata or message count; a valid
 * frame with its CRC corrupted; and, when the cluster is sealed, datagrams sealed with an unknown key, forged under
 * the right key id, tampered with, or sent in plaintext. Engine-level garbage is sealed with the cluster's key when
 * the cluster is sealed, so that it reaches the engine.
 *
 * <p>Every datagram is counted under the one reason its shape calls for (the transport's {@code transport.dropped.*}
 * or the engine's {@code dropped.*}, and nothing else); between batches a real PING from a third socket is answered
 * with an ACK; the node stays ALIVE to its peers, none ever suspecting it. The garbage is drawn from the cluster's
 * printed seed ({@code -Dpulse.seed=N} replays it).
 */
class UdpGarbageClusterTest {

    private static final int BATCHES = 30;
    private static final int PER_BATCH = 100;
    private static final byte[] KEY = Keys.key(32, 5005);
    private static final Function<Integer, Boolean> KNOWN_TYPE = t -> t == 0x01 || t == 0x02 || t == 0x03
            || t == 0x04 || t == 0x10 || t == 0x11 || t == 0x12 || t == 0x13 || t == 0x20;

    private LoopbackCluster cluster;
    private DatagramChannel garbage;
    private DatagramSocket prober;

    /** One garbage datagram and the counter it must land in. */
    private record Shot(byte[] datagram, String counter) {
    }

    @AfterEach
    void close() throws Exception {
        if (garbage != null) {
            garbage.close();
        }
        if (prober != null) {
            prober.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "sealed={0}")
    @ValueSource(booleans = {false, true})
    void garbageIsCountedByReasonAndTheNodeStaysAlive(boolean sealed) throws Exception {
        cluster = new LoopbackCluster("127.0.0.1");
        Keyring ring = Keyring.of(KEY);
        Member target = cluster.start(t -> sealed ? t.keyring(ring) : t);
        Member b = cluster.start(t -> sealed ? t.keyring(ring) : t);
        Member c = cluster.start(t -> sealed ? t.keyring(ring) : t);
        List<Member> all = List.of(target, b, c);
        List<Member> peers = List.of(b, c);
        LoopbackCluster.join(b, target);
        LoopbackCluster.join(c, target);
        LoopbackCluster.awaitConverged("before the garbage", all);
        LoopbackCluster.awaitProgress("before the garbage", all, "acksReceived", 5);

        String replay = " (seed " + cluster.seed() + "; replay with -Dpulse.seed=" + cluster.seed() + ")";
        SplittableRandom random = new SplittableRandom(cluster.seed());
        Sealer sealer = sealed ? new Sealer(ring) : null;
        garbage = DatagramChannel.open(StandardProtocolFamily.INET);
        garbage.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Identifier garbageId = Identifier.of((InetSocketAddress) garbage.getLocalAddress());
        prober = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        prober.setSoTimeout(500);
        Identifier proberId = Identifier.of((InetSocketAddress) prober.getLocalSocketAddress());

        Map<String, Long> before = drops(target);
        Map<String, Long> expected = new TreeMap<>();
        InetSocketAddress to = target.id().toSocketAddress();
        long shots = 0;
        long receivedBefore = target.counter("transport.datagramsReceived");
        for (int batch = 0; batch < BATCHES; batch++) {
            for (int i = 0; i < PER_BATCH; i++) {
                Shot s = shot(random, sealed, sealer, garbageId, target.id());
                expected.merge(s.counter(), 1L, Long::sum);
                garbage.send(ByteBuffer.wrap(s.datagram()), to);
                shots++;
            }
            long sent = shots;
            LoopbackCluster.await("the target read batch " + batch + replay,
                    () -> target.counter("transport.datagramsReceived") - receivedBefore >= sent);
            probe(batch, proberId, target.id(), sealer, replay);
        }

        System.out.println("UdpGarbageClusterTest sealed=" + sealed + ": " + shots + " garbage datagrams, expected "
                + expected + replay);
        LoopbackCluster.await("every garbage datagram is counted under its reason: expected " + expected
                + replay, () -> delta(before, drops(target), expected.keySet()).equals(expected));
        Map<String, Long> after = drops(target);
        for (String name : after.keySet()) {
            assertEquals(expected.getOrDefault(name, 0L), after.get(name) - before.getOrDefault(name, 0L),
                    "drops counted as " + name + "; expected " + expected + replay);
        }
        assertEquals(0L, target.counter("dropped.badMagic"),
                "the engine's badMagic: the transport drops wrong magic before the engine sees it");

        LoopbackCluster.awaitProgress("after the garbage", all, "acksReceived", 10);
        LoopbackCluster.awaitConverged("after the garbage", all);
        for (Member p : peers) {
            assertTrue(p.sees(target.id(), State.ALIVE), p + " holds the target ALIVE");
            assertEquals(0L, p.eventsAbout(target.id(), MembershipEvent.Suspected.class)
                    + p.eventsAbout(target.id(), MembershipEvent.Failed.class),
                    p + " suspected the target: " + p.events() + replay);
        }
        assertEquals(0L, target.counter("loopErrors"), "the target's loop errors" + replay);
    }

    /** Sends a real PING from the prober and waits for the target's ACK to it. */
    private void probe(int seq, Identifier proberId, Identifier targetId, Sealer sealer, String replay)
            throws Exception {
        byte[] ping = EngineFrames.frame(proberId, EngineFrames.ping(seq, targetId));
        byte[] datagram = sealer == null ? ping : seal(sealer, ping);
        byte[] in = new byte[65_536];
        long deadline = System.nanoTime() + LoopbackCluster.DEADLINE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            prober.send(new DatagramPacket(datagram, datagram.length, targetId.toSocketAddress()));
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(in, in.length);
                    prober.receive(p);
                    byte[] frame = Arrays.copyOf(in, p.getLength());
                    if (sealer != null) {
                        ByteBuffer out = ByteBuffer.allocate(frame.length);
                        if (!sealer.open(ByteBuffer.wrap(frame), out)) {
                            continue;
                        }
                        frame = Arrays.copyOf(out.array(), out.remaining());
                    }
                    Optional<Integer> ack = EngineFrames.ackSeq(frame, targetId);
                    if (ack.isPresent() && ack.get() == seq) {
                        return;
                    }
                }
            } catch (SocketTimeoutException e) {
                // lost, or the node is slow: ask again until the deadline
            }
        }
        throw new AssertionError("the target never answered the real PING " + seq + " amid the garbage" + replay);
    }

    /**
     * One garbage datagram, drawn from the shapes that fit the cluster's mode; whatever its shape, a datagram longer
     * than the node's {@code maxDatagramBytes} (the default) is the transport's {@code dropped.tooLong}, never read
     * further (such as a frame with more messages than the engine's limit: more than fit in 1,400 bytes).
     */
    private static Shot shot(SplittableRandom r, boolean sealed, Sealer sealer, Identifier from, Identifier target) {
        Shot s = shape(r, sealed, sealer, from, target);
        return s.datagram().length > UdpTransport.DEFAULT_DATAGRAM_BYTES
                ? new Shot(s.datagram(), "transport.dropped.tooLong") : s;
    }

    private static Shot shape(SplittableRandom r, boolean sealed, Sealer sealer, Identifier from, Identifier target) {
        int kinds = sealed ? 17 : 13;
        int kind = r.nextInt(kinds);
        Shot engine = switch (kind) {
            case 0, 1, 2 -> null; // transport-level, below
            case 3 -> engineTruncatedFrame(r);
            case 4 -> badFlags(r);
            case 5 -> randomBody(r);
            case 6 -> corruptedCrc(r, from, target);
            case 7 -> badIdentity(r, target);
            case 8 -> unknownType(r, from);
            case 9 -> badLength(r, from);
            case 10 -> messageTooLong(r, from, target);
            case 11 -> oversizedMetadata(r, from);
            case 12 -> tooManyMessages(r, from);
            case 13 -> sealed ? new Shot(EngineFrames.frame(1, EngineFrames.identity(from),
                    EngineFrames.ping(r.nextInt(), target)), "dropped.sealed") : null; // sealed inside the seal
            default -> null;
        };
        if (engine != null) {
            return sealed ? new Shot(seal(sealer, engine.datagram()), engine.counter()) : engine;
        }
        return switch (kind) {
            case 0 -> randomBytes(r);
            case 1 -> badVersion(r);
            case 2 -> sealed ? unknownKey(r) : sealedWithoutKey(r);
            case 14 -> forgedUnderTheRightKeyId(r);
            case 15 -> tampered(r, sealer, from, target);
            case 16 -> new Shot(EngineFrames.frame(from, EngineFrames.ping(r.nextInt(), target)),
                    "transport.dropped.plaintextRefused");
            default -> throw new AssertionError("kind " + kind);
        };
    }

    // ---- the transport's envelope -------------------------------------------------------------------------------

    private static Shot randomBytes(SplittableRandom r) {
        byte[] d = bytes(r, r.nextInt(0, 1_401));
        if (d.length >= 7 && Arrays.equals(d, 0, 7, EngineFrames.MAGIC, 0, 7)) {
            d[0] ^= 1;
        }
        return new Shot(d, d.length < 9 ? "transport.dropped.truncated" : "transport.dropped.badMagic");
    }

    private static Shot badVersion(SplittableRandom r) {
        byte[] d = withMagic(r, r.nextInt(9, 1_401));
        d[7] = (byte) r.nextInt(2, 256 + 1); // anything but 1 (256 wraps to 0)
        return new Shot(d, "transport.dropped.badVersion");
    }

    private static Shot sealedWithoutKey(SplittableRandom r) {
        byte[] d = withMagic(r, r.nextInt(9, 1_401));
        d[7] = EngineFrames.VERSION;
        d[8] |= 1;
        return new Shot(d, "transport.dropped.sealedWithoutKey");
    }

    private static Shot unknownKey(SplittableRandom r) {
        byte[] d = sealedShape(r);
        int id = r.nextInt();
        if (id == Keyring.keyId(KEY)) {
            id++;
        }
        ByteBuffer.wrap(d).putInt(9, id);
        return new Shot(d, "transport.dropped.unknownKey");
    }

    private static Shot forgedUnderTheRightKeyId(SplittableRandom r) {
        byte[] d = sealedShape(r);
        ByteBuffer.wrap(d).putInt(9, Keyring.keyId(KEY));
        return new Shot(d, "transport.dropped.failedToOpen");
    }

    /** A datagram sealed with the right key, one byte after the key id flipped: nonce, ciphertext or tag. */
    private static Shot tampered(SplittableRandom r, Sealer sealer, Identifier from, Identifier target) {
        byte[] d = seal(sealer, EngineFrames.frame(from, EngineFrames.ping(r.nextInt(), target)));
        d[r.nextInt(13, d.length)] ^= (byte) r.nextInt(1, 256);
        return new Shot(d, "transport.dropped.failedToOpen");
    }

    private static byte[] sealedShape(SplittableRandom r) {
        byte[] d = withMagic(r, r.nextInt(UdpTransport.SEAL_OVERHEAD_BYTES, 1_401));
        d[7] = EngineFrames.VERSION;
        d[8] = 1;
        return d;
    }

    // ---- the engine's frame (handed on by the transport, or opened by it when sealed) ---------------------------

    private static Shot engineTruncatedFrame(SplittableRandom r) {
        return new Shot(plainHeader(r, r.nextInt(9, 20), 0), "dropped.truncated");
    }

    private static Shot badFlags(SplittableRandom r) {
        return new Shot(plainHeader(r, r.nextInt(20, 1_300), r.nextInt(1, 128) << 1), "dropped.badFlags");
    }

    private static Shot randomBody(SplittableRandom r) {
        byte[] d = plainHeader(r, r.nextInt(20, 1_300), 0);
        if (EngineFrames.checksumHolds(d)) {
            d[d.length - 1] ^= 1;
        }
        return new Shot(d, "dropped.badChecksum");
    }

    private static Shot corruptedCrc(SplittableRandom r, Identifier from, Identifier target) {
        byte[] d = EngineFrames.frame(from, EngineFrames.ping(r.nextInt(), target));
        d[d.length - 1 - r.nextInt(4)] ^= (byte) (1 << r.nextInt(8));
        return new Shot(d, "dropped.badChecksum");
    }

    private static Shot badIdentity(SplittableRandom r, Identifier target) {
        byte[] sender = bytes(r, 7);
        sender[0] = (byte) (7 + r.nextInt(249)); // a family that is neither 4 nor 6
        return new Shot(EngineFrames.frame(0, sender, EngineFrames.ping(r.nextInt(), target)), "dropped.badIdentity");
    }

    private static Shot unknownType(SplittableRandom r, Identifier from) {
        int type;
        do {
            type = r.nextInt(256);
        } while (KNOWN_TYPE.apply(type));
        return new Shot(EngineFrames.frame(from, EngineFrames.message((byte) type, bytes(r, r.nextInt(0, 60)))),
                "dropped.unknownType");
    }

    private static Shot badLength(SplittableRandom r, Identifier from) {
        int length = r.nextBoolean() ? r.nextInt(0, 4) : r.nextInt(5, 60); // an ACK's body is exactly 4 bytes
        return new Shot(EngineFrames.frame(from, EngineFrames.message(EngineFrames.ACK, bytes(r, length))),
                "dropped.badLength");
    }

    private static Shot messageTooLong(SplittableRandom r, Identifier from, Identifier target) {
        byte[] ping = EngineFrames.ping(r.nextInt(), target);
        byte[] body = Arrays.copyOfRange(ping, 3, ping.length);
        int declared = body.length + r.nextInt(1, 500); // runs past the frame's end
        return new Shot(EngineFrames.frame(from, EngineFrames.message(EngineFrames.PING, declared, body)),
                "dropped.truncated");
    }

    private static Shot oversizedMetadata(SplittableRandom r, Identifier from) {
        byte[] metadata = bytes(r, r.nextInt(EngineFrames.MAX_METADATA + 1, 1_200));
        return new Shot(EngineFrames.frame(from, EngineFrames.alive(r.nextInt(1, 100), from, metadata)),
                "dropped.oversizedMetadata");
    }

    private static Shot tooManyMessages(SplittableRandom r, Identifier from) {
        byte[][] nacks = new byte[EngineFrames.MAX_MESSAGES + 1 + r.nextInt(20)][];
        for (int i = 0; i < nacks.length; i++) {
            nacks[i] = EngineFrames.message(EngineFrames.NACK, ByteBuffer.allocate(4).putInt(r.nextInt()).array());
        }
        return new Shot(EngineFrames.frame(from, nacks), "dropped.tooManyMessages");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static byte[] plainHeader(SplittableRandom r, int length, int flags) {
        byte[] d = withMagic(r, length);
        d[7] = EngineFrames.VERSION;
        d[8] = (byte) flags;
        return d;
    }

    private static byte[] withMagic(SplittableRandom r, int length) {
        byte[] d = bytes(r, length);
        System.arraycopy(EngineFrames.MAGIC, 0, d, 0, 7);
        return d;
    }

    private static byte[] bytes(SplittableRandom r, int length) {
        byte[] d = new byte[length];
        r.nextBytes(d);
        return d;
    }

    private static byte[] seal(Sealer sealer, byte[] frame) {
        ByteBuffer out = ByteBuffer.allocate(frame.length + UdpTransport.SEAL_OVERHEAD_BYTES);
        sealer.seal(ByteBuffer.wrap(frame), out);
        return Arrays.copyOf(out.array(), out.remaining());
    }

    /** Every receive-side drop counter of the node, the engine's and the transport's. */
    private static Map<String, Long> drops(Member m) {
        Map<String, Long> out = new TreeMap<>();
        m.node().counters().forEach((k, v) -> {
            if (k.startsWith("dropped.") || k.startsWith("transport.dropped.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after,
            Iterable<String> names) {
        Map<String, Long> out = new TreeMap<>();
        for (String n : names) {
            out.put(n, after.getOrDefault(n, 0L) - before.getOrDefault(n, 0L));
        }
        return out;
    }
}
