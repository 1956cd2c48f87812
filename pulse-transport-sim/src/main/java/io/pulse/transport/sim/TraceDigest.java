package io.pulse.transport.sim;

/**
 * The running digest of a simulated trace: a 64-bit FNV-style fold of every value a run mixes in (delivery times,
 * endpoints, datagram checksums, timer firings), so that equal runs give equal digests and a run that differs
 * anywhere almost surely does not.
 */
final class TraceDigest {

    /** The digest of an empty trace. */
    static final long EMPTY = 0xcbf29ce484222325L;

    private TraceDigest() {
    }

    /** {@code digest} with {@code value} folded in. */
    static long mix(long digest, long value) {
        long h = digest ^ value;
        h *= 0x100000001b3L;
        h ^= h >>> 29;
        return h;
    }
}
