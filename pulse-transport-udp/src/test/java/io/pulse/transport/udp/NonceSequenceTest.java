package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class NonceSequenceTest {

    private record Nonce(long salt, int counter) {
        static Nonce of(byte[] n) {
            ByteBuffer b = ByteBuffer.wrap(n);
            return new Nonce(b.getLong(0), b.getInt(8));
        }
    }

    @Test
    void neverRepeatsAcrossConcurrentSenders() throws Exception {
        NonceSequence seq = new NonceSequence();
        Set<Nonce> seen = ConcurrentHashMap.newKeySet();
        int threads = 4;
        int each = 50_000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                byte[] n = new byte[12];
                for (int i = 0; i < each; i++) {
                    seq.next(n, 0);
                    seen.add(Nonce.of(n));
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertEquals(threads * each, seen.size(), "every nonce distinct");
    }

    @Test
    void neverRepeatsAcrossManySealedDatagrams() {
        Keyring ring = Keyring.of(Keys.key(16, 5));
        EnvelopeCodec codec = new EnvelopeCodec();
        NonceSequence seq = new NonceSequence();
        ByteBuffer frame = ByteBuffer.wrap(TransportContractTest.frameOfLength(64));
        ByteBuffer out = ByteBuffer.allocate(64 + Envelope.SEAL_OVERHEAD_BYTES);
        Set<Nonce> seen = new HashSet<>();
        byte[] n = new byte[12];
        for (int i = 0; i < 100_000; i++) {
            codec.seal(ring.primary(), seq, frame, out);
            out.get(Envelope.NONCE_OFFSET, n);
            assertTrue(seen.add(Nonce.of(n)), "nonce repeated at seal " + i);
        }
    }

    @Test
    void aFreshSaltIsDrawnWhenTheCounterWraps() {
        NonceSequence seq = new NonceSequence(new Random(42), (1L << 32) - 2);
        byte[] n = new byte[12];
        seq.next(n, 0);
        Nonce a = Nonce.of(n);
        seq.next(n, 0);
        Nonce b = Nonce.of(n);
        seq.next(n, 0);
        Nonce c = Nonce.of(n);
        assertEquals(a.salt(), b.salt());
        assertEquals(-2, a.counter());
        assertEquals(-1, b.counter(), "the last counter value, 2^32 - 1");
        assertNotEquals(a.salt(), c.salt(), "a new salt after the wrap");
        assertEquals(0, c.counter());
    }

    @Test
    void aRepeatedDrawOfTheSameSaltIsSkipped() {
        // a random source that returns the same value twice, then another
        Random stuck = new Random() {
            private int calls;

            @Override
            public long nextLong() {
                return calls++ < 2 ? 7L : 8L;
            }
        };
        NonceSequence seq = new NonceSequence(stuck, (1L << 32) - 1);
        byte[] n = new byte[12];
        seq.next(n, 0);
        assertEquals(7L, Nonce.of(n).salt());
        seq.next(n, 0);
        assertEquals(8L, Nonce.of(n).salt());
    }
}
