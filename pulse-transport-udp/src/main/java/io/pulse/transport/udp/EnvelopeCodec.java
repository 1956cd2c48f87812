package io.pulse.transport.udp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals frames into sealed datagrams and checks and opens received datagrams; the layout is in {@link Envelope}.
 *
 * <p>Not thread-safe: each thread owns one (the I/O thread one for opening, each sending thread one for sealing),
 * because a {@link Cipher} is stateful. Reusing it saves the provider lookup per datagram; the JDK's GCM still
 * allocates a few small objects per {@code init}, which is the price of {@code javax.crypto}.
 */
final class EnvelopeCodec {

    private final Cipher cipher;
    private final byte[] aad = new byte[Envelope.AAD_LENGTH];
    private final byte[] nonce = new byte[Envelope.NONCE_LENGTH];

    EnvelopeCodec() {
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
        }
    }

    /**
     * Seals the frame between {@code frame}'s position and limit (both left where they were) with {@code key} and
     * the next nonce of {@code nonces}, writing the sealed datagram into {@code out} from 0 and flipping it.
     *
     * @throws IllegalStateException if the cipher refuses (a broken JDK, or {@code out} too small: a bug)
     */
    void seal(Keyring.Key key, NonceSequence nonces, ByteBuffer frame, ByteBuffer out) {
        // the whole header is rewritten: open() leaves a received header in aad
        System.arraycopy(Envelope.MAGIC, 0, aad, Envelope.MAGIC_OFFSET, Envelope.MAGIC_LENGTH);
        aad[Envelope.VERSION_OFFSET] = Envelope.VERSION;
        aad[Envelope.FLAGS_OFFSET] = Envelope.FLAG_SEALED;
        aad[Envelope.KEY_ID_OFFSET] = (byte) (key.id >>> 24);
        aad[Envelope.KEY_ID_OFFSET + 1] = (byte) (key.id >>> 16);
        aad[Envelope.KEY_ID_OFFSET + 2] = (byte) (key.id >>> 8);
        aad[Envelope.KEY_ID_OFFSET + 3] = (byte) key.id;
        nonces.next(nonce, 0);
        out.clear();
        out.put(aad).put(nonce);
        int position = frame.position();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.spec, new GCMParameterSpec(Envelope.TAG_BITS, nonce));
            cipher.updateAAD(aad);
            cipher.doFinal(frame, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        } finally {
            frame.position(position);
        }
        out.flip();
    }

    /**
     * Decides what becomes of a received datagram and, for a sealed one, opens it.
     *
     * @param datagram        the bytes between position and limit; the position may move, the bytes are not changed
     * @param keyring         the keys that open, or null if the transport has none
     * @param acceptPlaintext whether plaintext is handed on although a keyring is set (the migration flag)
     * @param plain           where an opened frame goes, from 0, flipped; untouched otherwise
     * @return {@link Verdict#PLAINTEXT} (hand on {@code datagram}), {@link Verdict#OPENED} (hand on {@code plain}),
     *         or the rejection; never {@link Verdict#SEALED}, and never an exception
     */
    Verdict receive(ByteBuffer datagram, Keyring keyring, boolean acceptPlaintext, ByteBuffer plain) {
        Verdict v = Envelope.inspect(datagram);
        if (v == Verdict.PLAINTEXT) {
            return keyring == null || acceptPlaintext ? Verdict.PLAINTEXT : Verdict.PLAINTEXT_REFUSED;
        }
        if (v != Verdict.SEALED) {
            return v;
        }
        if (keyring == null) {
            return Verdict.SEALED_WITHOUT_KEY;
        }
        return open(datagram, keyring, plain);
    }

    /** Opens a datagram whose envelope said SEALED. */
    private Verdict open(ByteBuffer datagram, Keyring keyring, ByteBuffer plain) {
        int start = datagram.position();
        if (datagram.remaining() < Envelope.MIN_SEALED_LENGTH) {
            return Verdict.TRUNCATED;
        }
        Keyring.Key key = keyring.find(datagram.getInt(start + Envelope.KEY_ID_OFFSET));
        if (key == null) {
            return Verdict.UNKNOWN_KEY;
        }
        datagram.get(start, aad, 0, Envelope.AAD_LENGTH);
        datagram.get(start + Envelope.NONCE_OFFSET, nonce, 0, Envelope.NONCE_LENGTH);
        plain.clear();
        datagram.position(start + Envelope.CIPHERTEXT_OFFSET);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key.spec, new GCMParameterSpec(Envelope.TAG_BITS, nonce));
            cipher.updateAAD(aad);
            cipher.doFinal(datagram, plain);
        } catch (GeneralSecurityException | RuntimeException e) {
            // AEADBadTagException for a forgery or corruption; anything else the provider throws on hostile input
            // is a failed open as well, never an exception out of the receive loop
            plain.clear();
            datagram.position(start);
            return Verdict.FAILED_TO_OPEN;
        }
        datagram.position(start);
        plain.flip();
        return Verdict.OPENED;
    }
}
