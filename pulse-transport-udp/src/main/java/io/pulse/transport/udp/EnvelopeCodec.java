package io.pulse.transport.udp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals frames into sealed datagrams and checks and opens received datagrams; the layout is in {@link Envelope}.
 *
 * <p>Not thread-safe: each thread owns one (the I/O thread one for opening, each sending thread one for sealing),
 * because a {@link Cipher} is stateful. Reusing it saves the provider lookup per datagram. The cipher works on heap
 * arrays (the buffers' own, or a reused scratch array): given direct buffers, the JDK's GCM copies them into fresh
 * arrays, about 2 KB per 1,400-byte datagram. What remains, about 1 KB per seal or open, is allocated inside the
 * JDK's GCM by each {@code init}: the price of {@code javax.crypto}.
 *
 * <p>The cipher and the scratch arrays are made on first use, so that a codec that only checks plaintext
 * envelopes (a transport without a keyring) costs a few dozen bytes.
 */
final class EnvelopeCodec {

    private static final byte[] NO_BYTES = new byte[0];

    private Cipher cipher;
    private final byte[] aad = new byte[Envelope.AAD_LENGTH];
    private final byte[] nonce = new byte[Envelope.NONCE_LENGTH];
    private byte[] scratch = NO_BYTES;
    private byte[] scratch2 = NO_BYTES;

    EnvelopeCodec() {
    }

    /** The reused AES-GCM cipher, made on first use. */
    private Cipher cipher() {
        if (cipher == null) {
            try {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
            }
        }
        return cipher;
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
        int length = frame.remaining();
        int sealedLength = length + Envelope.SEAL_OVERHEAD_BYTES;
        out.clear();
        out.put(aad).put(nonce);
        // the JDK's GCM works on arrays; handing it direct buffers costs two copies into fresh arrays per call
        byte[] in;
        int inOffset;
        if (frame.hasArray()) {
            in = frame.array();
            inOffset = frame.arrayOffset() + frame.position();
        } else {
            in = scratch(length);
            inOffset = 0;
            frame.get(frame.position(), in, 0, length);
        }
        Cipher cipher = cipher();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.spec, new GCMParameterSpec(Envelope.TAG_BITS, nonce));
            cipher.updateAAD(aad);
            if (out.hasArray()) {
                cipher.doFinal(in, inOffset, length, out.array(), out.arrayOffset() + Envelope.CIPHERTEXT_OFFSET);
            } else {
                byte[] sealedBytes = in == scratch ? scratch2(length + Envelope.TAG_LENGTH)
                        : scratch(length + Envelope.TAG_LENGTH);
                int n = cipher.doFinal(in, inOffset, length, sealedBytes, 0);
                out.put(Envelope.CIPHERTEXT_OFFSET, sealedBytes, 0, n);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        out.position(0).limit(sealedLength);
    }

    /**
     * Decides what becomes of a received datagram and, for a sealed one, opens it.
     *
     * @param datagram        the bytes between position and limit; the position may move, the bytes are not changed
     * @param keyring         the keys that open, or null if the transport has none
     * @param acceptPlaintext whether plaintext is handed on although a keyring is set (the migration flag)
     * @param plain           where an opened frame goes, from 0, flipped; its capacity at least the datagram's length;
     *                        contents unspecified after a failure
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
        int length = datagram.remaining();
        if (length < Envelope.MIN_SEALED_LENGTH) {
            return Verdict.TRUNCATED;
        }
        Keyring.Key key = keyring.find(datagram.getInt(start + Envelope.KEY_ID_OFFSET));
        if (key == null) {
            return Verdict.UNKNOWN_KEY;
        }
        datagram.get(start, aad, 0, Envelope.AAD_LENGTH);
        datagram.get(start + Envelope.NONCE_OFFSET, nonce, 0, Envelope.NONCE_LENGTH);
        int sealedLength = length - Envelope.CIPHERTEXT_OFFSET;
        byte[] in;
        int inOffset;
        if (datagram.hasArray()) {
            in = datagram.array();
            inOffset = datagram.arrayOffset() + start + Envelope.CIPHERTEXT_OFFSET;
        } else {
            in = scratch(sealedLength);
            inOffset = 0;
            datagram.get(start + Envelope.CIPHERTEXT_OFFSET, in, 0, sealedLength);
        }
        plain.clear();
        int n;
        try {
            Cipher cipher = cipher();
            cipher.init(Cipher.DECRYPT_MODE, key.spec, new GCMParameterSpec(Envelope.TAG_BITS, nonce));
            cipher.updateAAD(aad);
            if (plain.hasArray()) {
                n = cipher.doFinal(in, inOffset, sealedLength, plain.array(), plain.arrayOffset());
            } else {
                byte[] opened = in == scratch ? scratch2(sealedLength) : scratch(sealedLength);
                n = cipher.doFinal(in, inOffset, sealedLength, opened, 0);
                plain.put(0, opened, 0, n);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // AEADBadTagException for a forgery or corruption; anything else the provider throws on hostile input
            // is a failed open as well, never an exception out of the receive loop
            plain.clear();
            return Verdict.FAILED_TO_OPEN;
        }
        plain.position(0).limit(n);
        return Verdict.OPENED;
    }

    /** A reused array of at least {@code n} bytes; grows (allocates) only when a larger datagram than ever comes. */
    private byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, 2 * scratch.length)];
        }
        return scratch;
    }

    /** A second reused array, for when the first holds the input. */
    private byte[] scratch2(int n) {
        if (scratch2.length < n) {
            scratch2 = new byte[Math.max(n, 2 * scratch2.length)];
        }
        return scratch2;
    }
}
