package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 10,000 garbage datagrams at a live transport while a real sender keeps sending: every real datagram gets
 * through, and every garbage datagram is counted under the reason its shape calls for (or, for plaintext that
 * passes the envelope at a transport without a key, handed on: the engine drops it).
 *
 * <p>The garbage is drawn from a seed printed in every failure message; set {@code -Dpulse.seed=N} to replay one.
 */
class GarbageTest {

    private static final int GARBAGE = 10_000;
    private static final int REAL = 300;
    private static final int BATCH = 50;

    private UdpTransport receiver;
    private UdpTransport sender;

    @AfterEach
    void close() {
        if (receiver != null) {
            receiver.close();
        }
        if (sender != null) {
            sender.close();
        }
    }

    @ParameterizedTest(name = "sealed={0}")
    @ValueSource(booleans = {true, false})
    void garbageIsCountedAndRealDatagramsGetThrough(boolean sealed) throws Exception {
        long seed = Long.getLong("pulse.seed", System.nanoTime());
        String replay = " (garbage seed " + seed + "; replay with -Dpulse.seed=" + seed + ")";
        Keyring ring = Keyring.of(Keys.key(32, 77));
        UdpTransport.Builder rb = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0"))
                .receiveBufferBytes(1 << 21);
        UdpTransport.Builder sb = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0"));
        if (sealed) {
            rb.keyring(ring);
            sb.keyring(ring);
        }
        receiver = rb.open();
        sender = sb.open();
        Identifier realFrom = sender.localAddress();
        AtomicInteger realGot = new AtomicInteger();
        AtomicInteger realCorrupt = new AtomicInteger();
        AtomicInteger garbageHandedOn = new AtomicInteger();
        receiver.start((from, payload) -> {
            if (from.equals(realFrom)) {
                byte[] b = new byte[payload.remaining()];
                payload.get(payload.position(), b);
                (TransportContractTest.checked(b) ? realGot : realCorrupt).incrementAndGet();
            } else {
                garbageHandedOn.incrementAndGet();
            }
        });

        AtomicReference<Throwable> realFailure = new AtomicReference<>();
        Thread real = new Thread(() -> {
            try {
                for (int i = 0; i < REAL; i++) {
                    sender.send(receiver.localAddress(), ByteBuffer.wrap(TransportContractTest.checkedFrame(7, i)));
                    int want = i + 1;
                    RotationTest.await("real datagram " + i + replay, () -> realGot.get() + realCorrupt.get() >= want);
                }
            } catch (Throwable t) {
                realFailure.set(t);
            }
        }, "real-sender");
        real.start();

        Map<Verdict, Integer> expected = new EnumMap<>(Verdict.class);
        int expectedHandedOn = 0;
        SplittableRandom r = new SplittableRandom(seed);
        InetSocketAddress target = receiver.localAddress().toSocketAddress();
        try (DatagramChannel garbage = DatagramChannel.open()) {
            garbage.bind(new InetSocketAddress(Identifier.parse("127.0.0.1:0").toSocketAddress().getAddress(), 0));
            for (int sent = 0; sent < GARBAGE; ) {
                for (int i = 0; i < BATCH; i++, sent++) {
                    int kind = r.nextInt(8);
                    byte[] d = garbage(kind, r, ring.primaryKeyId());
                    Verdict v = expectedVerdict(kind, sealed);
                    if (v == Verdict.PLAINTEXT) {
                        expectedHandedOn++;
                    } else {
                        expected.merge(v, 1, Integer::sum);
                    }
                    garbage.send(ByteBuffer.wrap(d), target);
                }
                // pace the flood so that the kernel's socket buffer never overflows: loss there is not the test's
                long upTo = sent;
                RotationTest.await("the receiver reading garbage" + replay,
                        () -> receiver.counters().get("datagramsReceived") >= upTo);
            }
        }
        real.join();
        if (realFailure.get() != null) {
            throw new AssertionError("the real sender failed" + replay, realFailure.get());
        }
        RotationTest.await("every datagram read" + replay,
                () -> receiver.counters().get("datagramsReceived") == GARBAGE + REAL);

        Map<String, Long> c = receiver.counters();
        assertEquals(REAL, realGot.get(), "every real datagram got through" + replay);
        assertEquals(0, realCorrupt.get(), replay);
        assertEquals(expectedHandedOn, garbageHandedOn.get(), "plaintext garbage handed on" + replay);
        for (Verdict v : Verdict.values()) {
            if (!v.delivers()) {
                long want = expected.getOrDefault(v, 0);
                assertEquals(want, c.get(v.reason().counterName()), v.reason().counterName() + replay);
            }
        }
        assertEquals(REAL + expectedHandedOn, c.get("datagramsDelivered"), replay);
        assertEquals(0L, c.get("dropped.handlerError"));
        assertEquals(sealed ? 7 : 5, expected.size(), "the garbage covered the reasons: " + expected + replay);
    }

    /**
     * One garbage datagram of the given shape, for a receiver with the default {@code maxDatagramBytes} (1,400):
     * no longer than that, but for kind 7, which is longer.
     */
    static byte[] garbage(int kind, SplittableRandom r, int realKeyId) {
        int max = UdpTransport.DEFAULT_DATAGRAM_BYTES;
        int length = switch (kind) {
            case 1 -> r.nextInt(0, 9);
            case 3, 4 -> r.nextInt(Envelope.MIN_SEALED_LENGTH, max + 1);
            case 6 -> r.nextInt(9, Envelope.MIN_SEALED_LENGTH);
            case 7 -> r.nextInt(max + 1, 4 * max);
            default -> r.nextInt(9, max + 1);
        };
        byte[] d = new byte[length];
        r.nextBytes(d);
        switch (kind) {
            case 0 -> d[0] = (byte) (d[0] == 'q' ? 'Q' : d[0]); // wrong magic
            case 1 -> {
                // too short, but starting like an envelope half the time
                if (r.nextBoolean()) {
                    System.arraycopy(Envelope.MAGIC, 0, d, 0, Math.min(7, d.length));
                }
            }
            case 2 -> {
                envelope(d, r.nextBoolean());
                d[7] = (byte) (d[7] == 1 ? 2 : d[7]);
            }
            case 3 -> {
                envelope(d, true);
                int id = r.nextInt();
                ByteBuffer.wrap(d).putInt(9, id == realKeyId ? id + 1 : id);
            }
            case 4 -> {
                envelope(d, true);
                ByteBuffer.wrap(d).putInt(9, realKeyId);
            }
            case 5 -> envelope(d, false);
            case 6 -> envelope(d, true);
            case 7 -> envelope(d, r.nextBoolean()); // a right envelope does not make it short enough
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        return d;
    }

    private static void envelope(byte[] d, boolean sealed) {
        System.arraycopy(Envelope.MAGIC, 0, d, 0, 7);
        d[7] = 1;
        d[8] = (byte) (sealed ? d[8] | 1 : d[8] & ~1);
    }

    /** What the shape calls for, worked out from the documented rules, not from the code under test. */
    static Verdict expectedVerdict(int kind, boolean keyed) {
        return switch (kind) {
            case 0 -> Verdict.BAD_MAGIC;
            case 1 -> Verdict.TRUNCATED;
            case 2 -> Verdict.BAD_VERSION;
            case 3 -> keyed ? Verdict.UNKNOWN_KEY : Verdict.SEALED_WITHOUT_KEY;
            case 4 -> keyed ? Verdict.FAILED_TO_OPEN : Verdict.SEALED_WITHOUT_KEY;
            case 5 -> keyed ? Verdict.PLAINTEXT_REFUSED : Verdict.PLAINTEXT;
            case 6 -> keyed ? Verdict.TRUNCATED : Verdict.SEALED_WITHOUT_KEY;
            case 7 -> Verdict.TOO_LONG;
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }
}
