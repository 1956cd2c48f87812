package io.pulse.transport.udp;

import java.util.SplittableRandom;

/** Test keys: deterministic bytes, so a failure can be reproduced. */
final class Keys {

    private Keys() {
    }

    /** A key of {@code length} bytes drawn from {@code seed}. */
    static byte[] key(int length, long seed) {
        byte[] k = new byte[length];
        new SplittableRandom(seed).nextBytes(k);
        return k;
    }
}
