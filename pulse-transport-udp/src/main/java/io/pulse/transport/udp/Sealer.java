package io.pulse.transport.udp;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Seals frames and opens sealed datagrams outside a transport, byte for byte as {@link UdpTransport} does: for
 * tools that craft datagrams, integration tests and benchmarks. A transport never needs one.
 *
 * <p>Not thread-safe: it owns a {@link javax.crypto.Cipher} and a nonce sequence (salted from
 * {@link java.security.SecureRandom} when created, as a transport's is); use one per thread.
 */
public final class Sealer {

    private final Keyring keyring;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final NonceSequence nonces = new NonceSequence();

    /** A sealer that seals with the keyring's primary key and opens with any of its keys. */
    public Sealer(Keyring keyring) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
    }

    /** The keyring this sealer uses. */
    public Keyring keyring() {
        return keyring;
    }

    /**
     * Seals the frame between {@code frame}'s position and limit (both left where they were) into {@code out},
     * written from index 0 and flipped: {@link UdpTransport#SEAL_OVERHEAD_BYTES} more bytes than the frame.
     *
     * @throws IllegalArgumentException if {@code out}'s capacity is too small
     */
    public void seal(ByteBuffer frame, ByteBuffer out) {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(out, "out");
        int need = frame.remaining() + Envelope.SEAL_OVERHEAD_BYTES;
        if (out.capacity() < need) {
            throw new IllegalArgumentException("out holds " + out.capacity() + " bytes; sealing this frame needs "
                    + need);
        }
        codec.seal(keyring.primary(), nonces, frame, out);
    }

    /**
     * Opens a sealed datagram (between position and limit; neither is moved) into {@code out}, written from index 0
     * and flipped.
     *
     * @return true if it opened; false if it is not a sealed datagram of one of this keyring's keys, or fails to
     *         authenticate ({@code out}'s content is then unspecified)
     * @throws IllegalArgumentException if {@code out}'s capacity is smaller than the datagram
     */
    public boolean open(ByteBuffer datagram, ByteBuffer out) {
        Objects.requireNonNull(datagram, "datagram");
        Objects.requireNonNull(out, "out");
        if (out.capacity() < datagram.remaining()) {
            throw new IllegalArgumentException("out holds " + out.capacity() + " bytes, less than the datagram's "
                    + datagram.remaining());
        }
        int position = datagram.position();
        Verdict v = Envelope.inspect(datagram) == Verdict.SEALED
                ? codec.receive(datagram, keyring, false, out) : Verdict.PLAINTEXT_REFUSED;
        datagram.position(position);
        return v == Verdict.OPENED;
    }
}
