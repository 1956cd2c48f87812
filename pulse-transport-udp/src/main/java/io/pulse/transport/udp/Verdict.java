package io.pulse.transport.udp;

/**
 * What becomes of a received datagram: handed on (plaintext as received, or the frame a sealed datagram opened to)
 * or rejected for a reason, each reason with its counter. The typed rejection of the receive path: checking a
 * datagram returns one of these and throws nothing.
 */
enum Verdict {
    /** A plaintext frame whose envelope is right; handed on as received. */
    PLAINTEXT(null),
    /** Envelope right, SEALED flag set: still to be opened (an intermediate verdict, never final). */
    SEALED(null),
    /** A sealed datagram that opened; its inner frame is handed on. */
    OPENED(null),
    /**
     * Longer than the transport's {@code maxDatagramBytes}; decided by the receive loop from the length read,
     * before the envelope is looked at.
     */
    TOO_LONG(DropReason.TOO_LONG),
    /** Shorter than the envelope needs: 9 bytes, or 41 when sealed. */
    TRUNCATED(DropReason.TRUNCATED),
    /** The first seven bytes are not {@code qbpulse}. */
    BAD_MAGIC(DropReason.BAD_MAGIC),
    /** The version byte is not 1. */
    BAD_VERSION(DropReason.BAD_VERSION),
    /** Plaintext at a transport with a keyring, without the migration flag. */
    PLAINTEXT_REFUSED(DropReason.PLAINTEXT_REFUSED),
    /** Sealed, at a transport without a keyring. */
    SEALED_WITHOUT_KEY(DropReason.SEALED_WITHOUT_KEY),
    /** Sealed with a key id this keyring does not hold. */
    UNKNOWN_KEY(DropReason.UNKNOWN_KEY),
    /** Sealed with a known key id, but AES-GCM authentication failed. */
    FAILED_TO_OPEN(DropReason.FAILED_TO_OPEN);

    private final DropReason reason;

    Verdict(DropReason reason) {
        this.reason = reason;
    }

    /** Whether the datagram is handed to the handler. */
    boolean delivers() {
        return reason == null;
    }

    /** The reason it is dropped; null if it {@link #delivers()}. */
    DropReason reason() {
        return reason;
    }
}
