package io.pulse.transport.udp;

import java.security.SecureRandom;
import java.util.Random;

/**
 * The AES-GCM nonces of one transport: an 8-byte random salt followed by a 32-bit big-endian counter.
 *
 * <p><b>Why they never repeat for a key.</b> Within one transport, the counter runs from 0 to 2<sup>32</sup> - 1
 * under one salt; when it wraps, a fresh salt is drawn, so one transport never issues the same nonce twice under
 * any key (the sequence is shared by all keys, which only makes it stricter). Between transports that share a key
 * (every node of a cluster, and every restart of a node), nonces differ unless two of them drew the same 64-bit
 * salt: with S salts drawn in the key's whole life the chance is below S<sup>2</sup>/2<sup>65</sup>, about
 * 3 &times; 10<sup>-8</sup> for a million node starts. Rotate keys well before that matters.
 *
 * <p>Thread-safe: any sender thread may call {@link #next(byte[], int)}; a short lock guards the counter and salt
 * (a few nanoseconds, never held across I/O).
 */
final class NonceSequence {

    private static final long COUNTER_LIMIT = 1L << 32;

    private final Random random;
    private long salt;
    private long counter;

    /** A sequence with a salt from a new {@link SecureRandom}. */
    NonceSequence() {
        this(new SecureRandom(), 0);
    }

    /** For tests: a chosen random source and a counter to start from (to reach the wrap quickly). */
    NonceSequence(Random random, long firstCounter) {
        if (firstCounter < 0 || firstCounter >= COUNTER_LIMIT) {
            throw new IllegalArgumentException("firstCounter out of [0, 2^32): " + firstCounter);
        }
        this.random = random;
        this.salt = random.nextLong();
        this.counter = firstCounter;
    }

    /** Writes the next 12-byte nonce into {@code into} at {@code offset}. */
    void next(byte[] into, int offset) {
        long s;
        long c;
        synchronized (this) {
            if (counter == COUNTER_LIMIT) {
                long fresh;
                do {
                    fresh = random.nextLong();
                } while (fresh == salt);
                salt = fresh;
                counter = 0;
            }
            s = salt;
            c = counter++;
        }
        for (int i = 0; i < 8; i++) {
            into[offset + i] = (byte) (s >>> (56 - 8 * i));
        }
        into[offset + 8] = (byte) (c >>> 24);
        into[offset + 9] = (byte) (c >>> 16);
        into[offset + 10] = (byte) (c >>> 8);
        into[offset + 11] = (byte) c;
    }
}
