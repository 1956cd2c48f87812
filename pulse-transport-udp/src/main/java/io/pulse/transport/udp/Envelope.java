package io.pulse.transport.udp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The envelope: the bytes this transport reads or writes around the engine's frames. Wire constants are protocol:
 * never renumber them.
 *
 * <p>A <b>plaintext frame</b>, written by the engine and passed through as is; the transport reads only its first
 * nine bytes, and requires bit 0 of the flags (SEALED) to be 0:
 * <pre>
 *  0                   7       8       9
 *  +-------------------+-------+-------+---------------------------------------------+
 *  | "qbpulse" (ASCII) | ver=1 | flags | messages and CRC32C (the engine's business) |
 *  +-------------------+-------+-------+---------------------------------------------+
 * </pre>
 *
 * <p>A <b>sealed datagram</b>, written by the transport when a keyring is set; the plaintext frame, whole, is the
 * AES-GCM plaintext, and the first 13 bytes are the additional authenticated data:
 * <pre>
 *  0                   7       8       9           13                25                         n-16       n
 *  +-------------------+-------+-------+-----------+-----------------+--------------------------+----------+
 *  | "qbpulse" (ASCII) | ver=1 | 0x01  | key id    | nonce           | ciphertext               | tag      |
 *  |                   |       |       | (4, BE)   | salt(8) ctr(4)  | (n - 41 bytes)           | (16)     |
 *  +-------------------+-------+-------+-----------+-----------------+--------------------------+----------+
 *  |&lt;------------ AAD: 13 bytes -------------&gt;|
 * </pre>
 * A sealed datagram is {@link #SEAL_OVERHEAD_BYTES} longer than the frame it carries.
 */
final class Envelope {

    /** The magic bytes {@code qbpulse}, from the Go package. */
    static final byte[] MAGIC = "qbpulse".getBytes(StandardCharsets.US_ASCII);
    static final int MAGIC_OFFSET = 0;
    static final int MAGIC_LENGTH = 7;
    static final int VERSION_OFFSET = 7;
    static final int FLAGS_OFFSET = 8;
    /** Magic, version and flags: the bytes every datagram starts with. */
    static final int FRAME_HEADER_LENGTH = 9;

    /** The only version this transport reads and writes. */
    static final byte VERSION = 1;
    /** Flags bit 0: the rest of the datagram is sealed. Engine frames always have it clear. */
    static final byte FLAG_SEALED = 0x01;

    static final int KEY_ID_OFFSET = 9;
    static final int KEY_ID_LENGTH = 4;
    /** The additional authenticated data of a sealed datagram: magic, version, flags and key id. */
    static final int AAD_LENGTH = 13;
    static final int NONCE_OFFSET = 13;
    static final int NONCE_LENGTH = 12;
    static final int SALT_LENGTH = 8;
    static final int CIPHERTEXT_OFFSET = 25;
    static final int TAG_LENGTH = 16;
    static final int TAG_BITS = TAG_LENGTH * 8;
    /** How much longer a sealed datagram is than the frame it seals: 13 + 12 + 16. */
    static final int SEAL_OVERHEAD_BYTES = CIPHERTEXT_OFFSET + TAG_LENGTH;
    /** The shortest sealed datagram: the overhead around an empty plaintext. */
    static final int MIN_SEALED_LENGTH = SEAL_OVERHEAD_BYTES;

    private Envelope() {
    }

    /**
     * Checks the first nine bytes of a received datagram (between position and limit; neither is moved): enough
     * length, the magic, the version. Returns {@link Verdict#PLAINTEXT} or {@link Verdict#SEALED} when they are
     * right, otherwise the rejection.
     */
    static Verdict inspect(ByteBuffer datagram) {
        int start = datagram.position();
        if (datagram.remaining() < FRAME_HEADER_LENGTH) {
            return Verdict.TRUNCATED;
        }
        for (int i = 0; i < MAGIC_LENGTH; i++) {
            if (datagram.get(start + MAGIC_OFFSET + i) != MAGIC[i]) {
                return Verdict.BAD_MAGIC;
            }
        }
        if (datagram.get(start + VERSION_OFFSET) != VERSION) {
            return Verdict.BAD_VERSION;
        }
        return (datagram.get(start + FLAGS_OFFSET) & FLAG_SEALED) != 0 ? Verdict.SEALED : Verdict.PLAINTEXT;
    }
}
