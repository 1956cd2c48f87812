package io.pulse.transport.udp;

import static io.pulse.transport.udp.TransportContractTest.frame;
import static io.pulse.transport.udp.TransportContractTest.frameOfLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sealing and opening at the codec: layout, round trips, and what a tampered datagram becomes. */
class SealingTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return a;
    }

    private static byte[] seal(EnvelopeCodec codec, Keyring ring, NonceSequence nonces, byte[] frame) {
        ByteBuffer out = ByteBuffer.allocate(frame.length + Envelope.SEAL_OVERHEAD_BYTES);
        codec.seal(ring.primary(), nonces, ByteBuffer.wrap(frame), out);
        return bytes(out);
    }

    @ParameterizedTest(name = "{0}-byte key")
    @ValueSource(ints = {16, 24, 32})
    void sealsAndOpensWithEveryAesKeySize(int keyBytes) {
        Keyring ring = Keyring.of(Keys.key(keyBytes, keyBytes));
        assertEquals(keyBytes * 8, ring.primary().bits());
        EnvelopeCodec codec = new EnvelopeCodec();
        NonceSequence nonces = new NonceSequence();
        int overhead = Envelope.SEAL_OVERHEAD_BYTES;
        for (int length : new int[] {9, 100, 1400 - overhead, 65_507 - overhead}) {
            byte[] frame = frameOfLength(length);
            ByteBuffer in = ByteBuffer.allocateDirect(length + 10);
            in.position(3);
            in.put(frame).flip().position(3);
            ByteBuffer sealed = ByteBuffer.allocateDirect(length + Envelope.SEAL_OVERHEAD_BYTES);
            codec.seal(ring.primary(), nonces, in, sealed);
            assertEquals(3, in.position(), "the frame's position is left where it was");
            assertEquals(length + Envelope.SEAL_OVERHEAD_BYTES, sealed.remaining());
            ByteBuffer plain = ByteBuffer.allocateDirect(65_536);
            assertEquals(Verdict.OPENED, new EnvelopeCodec().receive(sealed, ring, false, plain));
            assertArrayEquals(frame, bytes(plain));
        }
    }

    /** An independent opener, written from docs/wire-format.md, agrees with the codec on every byte. */
    @Test
    void layoutIsTheDocumentedOne() throws Exception {
        byte[] key = Keys.key(32, 7);
        Keyring ring = Keyring.of(key);
        byte[] frame = frame("layout".getBytes(StandardCharsets.US_ASCII));
        EnvelopeCodec codec = new EnvelopeCodec();
        NonceSequence nonces = new NonceSequence();
        byte[] first = seal(codec, ring, nonces, frame);
        byte[] second = seal(codec, ring, nonces, frame);

        assertArrayEquals("qbpulse".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(first, 0, 7));
        assertEquals(1, first[7], "version");
        assertEquals(0x01, first[8], "flags: SEALED");
        assertEquals(Keyring.keyId(key), ByteBuffer.wrap(first, 9, 4).getInt(), "key id, big-endian");
        assertEquals(frame.length + 41, first.length);
        assertArrayEquals(Arrays.copyOfRange(first, 13, 21), Arrays.copyOfRange(second, 13, 21), "same salt");
        assertEquals(ByteBuffer.wrap(first, 21, 4).getInt() + 1, ByteBuffer.wrap(second, 21, 4).getInt(),
                "the counter counts");

        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(first, 13, 25)));
        c.updateAAD(first, 0, 13);
        assertArrayEquals(frame, c.doFinal(first, 25, first.length - 25));
    }

    @Test
    void anOpeningKeyOpensButOnlyThePrimarySeals() {
        byte[] a = Keys.key(16, 1);
        byte[] b = Keys.key(32, 2);
        Keyring sealsWithA = Keyring.of(a);
        Keyring opensBoth = Keyring.of(b, a);
        Keyring onlyB = Keyring.of(b);
        EnvelopeCodec codec = new EnvelopeCodec();
        byte[] sealed = seal(codec, sealsWithA, new NonceSequence(), frameOfLength(50));
        ByteBuffer plain = ByteBuffer.allocate(65_536);
        assertEquals(Verdict.OPENED, codec.receive(ByteBuffer.wrap(sealed), opensBoth, false, plain));
        assertEquals(Verdict.UNKNOWN_KEY, codec.receive(ByteBuffer.wrap(sealed), onlyB, false, plain));
        assertEquals(Verdict.SEALED_WITHOUT_KEY, codec.receive(ByteBuffer.wrap(sealed), null, false, plain));
    }

    @Test
    void plaintextIsRefusedWithAKeyUnlessMigrating() {
        Keyring ring = Keyring.of(Keys.key(16, 3));
        EnvelopeCodec codec = new EnvelopeCodec();
        ByteBuffer plain = ByteBuffer.allocate(16);
        byte[] frame = frameOfLength(30);
        assertEquals(Verdict.PLAINTEXT_REFUSED, codec.receive(ByteBuffer.wrap(frame), ring, false, plain));
        assertEquals(Verdict.PLAINTEXT, codec.receive(ByteBuffer.wrap(frame), ring, true, plain));
        assertEquals(Verdict.PLAINTEXT, codec.receive(ByteBuffer.wrap(frame), null, false, plain));
    }

    @Test
    void envelopeChecksComeFirst() {
        EnvelopeCodec codec = new EnvelopeCodec();
        Keyring ring = Keyring.of(Keys.key(16, 4));
        ByteBuffer plain = ByteBuffer.allocate(16);
        byte[] frame = frameOfLength(30);
        assertEquals(Verdict.TRUNCATED, codec.receive(ByteBuffer.wrap(frame, 0, 8), ring, true, plain));
        byte[] magic = frame.clone();
        magic[3] = 'X';
        assertEquals(Verdict.BAD_MAGIC, codec.receive(ByteBuffer.wrap(magic), ring, true, plain));
        byte[] version = frame.clone();
        version[7] = 2;
        assertEquals(Verdict.BAD_VERSION, codec.receive(ByteBuffer.wrap(version), ring, true, plain));
        byte[] shortSealed = Arrays.copyOf(frame, 40);
        shortSealed[8] = Envelope.FLAG_SEALED;
        assertEquals(Verdict.TRUNCATED, codec.receive(ByteBuffer.wrap(shortSealed), ring, true, plain));
    }

    /**
     * The fuzz property: a sealed datagram, mutated (bit flips, truncation, extension, a spliced range, another
     * key's id, or replaced by random bytes), is never handed on and never makes the codec throw; the codec opens
     * the genuine datagram right after.
     */
    @Test
    void mutatedSealedDatagramsAreRejectedWithATypedVerdict() {
        byte[] primary = Keys.key(16, 11);
        byte[] other = Keys.key(32, 12);
        Keyring ring = Keyring.of(primary, other);
        EnvelopeCodec sealer = new EnvelopeCodec();
        EnvelopeCodec opener = new EnvelopeCodec();
        NonceSequence nonces = new NonceSequence();
        ByteBuffer plain = ByteBuffer.allocateDirect(65_536);
        qt().withExamples(4_000).forAll(longs().all(), integers().between(0, 5)).checkAssert((seed, kind) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] body = new byte[r.nextInt(0, 600)];
            r.nextBytes(body);
            byte[] frame = frame(body);
            byte[] sealed = seal(sealer, ring, nonces, frame);
            byte[] mutated = mutate(sealed, kind, r, Keyring.keyId(other));

            Verdict v = opener.receive(ByteBuffer.wrap(mutated), ring, false, plain);
            if (Arrays.equals(mutated, sealed)) {
                assertEquals(Verdict.OPENED, v);
            } else {
                assertFalse(v.delivers(), () -> "a mutated datagram was handed on as " + v);
                assertNotEquals(null, v.reason());
            }
            assertEquals(Verdict.OPENED, opener.receive(ByteBuffer.wrap(sealed), ring, false, plain),
                    "the genuine datagram still opens after a rejection");
            assertArrayEquals(frame, bytes(plain));
        });
    }

    /** Random datagrams, with or without a keyring, get a verdict and never an exception. */
    @Test
    void randomDatagramsGetAVerdictNeverAnException() {
        Keyring ring = Keyring.of(Keys.key(24, 21));
        EnvelopeCodec codec = new EnvelopeCodec();
        ByteBuffer plain = ByteBuffer.allocateDirect(65_536);
        qt().withExamples(4_000).forAll(longs().all(), integers().between(0, 3)).checkAssert((seed, shape) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] d = new byte[r.nextInt(0, 2_000)];
            r.nextBytes(d);
            if (shape > 0 && d.length >= 9) { // a right envelope so the deeper checks run
                System.arraycopy(Envelope.MAGIC, 0, d, 0, 7);
                d[7] = 1;
                d[8] = (byte) (shape == 1 ? 0 : 1);
                if (shape == 3 && d.length >= 13) {
                    ByteBuffer.wrap(d).putInt(9, ring.primaryKeyId());
                }
            }
            Verdict keyed = codec.receive(ByteBuffer.wrap(d), ring, false, plain);
            Verdict open = codec.receive(ByteBuffer.wrap(d), null, false, plain);
            assertNotEquals(Verdict.OPENED, keyed, "random bytes do not authenticate");
            assertNotEquals(Verdict.SEALED, keyed);
            assertNotEquals(Verdict.SEALED, open);
        });
    }

    static byte[] mutate(byte[] sealed, int kind, SplittableRandom r, int otherKeyId) {
        byte[] m;
        switch (kind) {
            case 0 -> { // flip 1 to 8 bits
                m = sealed.clone();
                int flips = r.nextInt(1, 9);
                for (int i = 0; i < flips; i++) {
                    int bit = r.nextInt(m.length * 8);
                    m[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            case 1 -> m = Arrays.copyOf(sealed, r.nextInt(sealed.length)); // truncate
            case 2 -> { // extend
                m = Arrays.copyOf(sealed, sealed.length + r.nextInt(1, 65));
                for (int i = sealed.length; i < m.length; i++) {
                    m[i] = (byte) r.nextInt();
                }
            }
            case 3 -> { // splice a random range
                m = sealed.clone();
                int from = r.nextInt(m.length);
                int to = r.nextInt(from, Math.min(m.length, from + 32) + 1);
                for (int i = from; i < to; i++) {
                    m[i] = (byte) r.nextInt();
                }
            }
            case 4 -> { // claim the other key
                m = sealed.clone();
                ByteBuffer.wrap(m).putInt(Envelope.KEY_ID_OFFSET, otherKeyId);
            }
            default -> { // anything at all
                m = new byte[r.nextInt(0, sealed.length + 100)];
                r.nextBytes(m);
            }
        }
        return m;
    }
}
