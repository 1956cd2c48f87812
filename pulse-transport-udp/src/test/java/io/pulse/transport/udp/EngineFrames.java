package io.pulse.transport.udp;

import io.pulse.api.Identifier;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The engine's frames, written and read from {@code docs/wire-format.md} ("Frame and messages") alone, as a
 * third-party node would: for tests that speak to a real engine over a socket, or break its frames on purpose.
 * The transport itself never parses these.
 */
final class EngineFrames {

    static final byte[] MAGIC = {'q', 'b', 'p', 'u', 'l', 's', 'e'};
    static final byte VERSION = 1;
    static final byte PING = 0x01;
    static final byte ACK = 0x02;
    static final byte NACK = 0x04;
    static final byte ALIVE = 0x10;
    /** Messages in one frame, at most. */
    static final int MAX_MESSAGES = 512;
    /** Metadata bytes in an ALIVE, at most (the configured default). */
    static final int MAX_METADATA = 512;

    private EngineFrames() {
    }

    /** A frame from {@code sender} carrying {@code messages} (each type, length, body), its CRC32C appended. */
    static byte[] frame(Identifier sender, byte[]... messages) {
        return frame(0, identity(sender), messages);
    }

    /** A frame with the given flags byte and raw sender identity bytes, its CRC32C appended (correct). */
    static byte[] frame(int flags, byte[] senderIdentity, byte[]... messages) {
        int length = 9 + senderIdentity.length + 4;
        for (byte[] m : messages) {
            length += m.length;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(MAGIC).put(VERSION).put((byte) flags).put(senderIdentity);
        for (byte[] m : messages) {
            b.put(m);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, length - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Whether the last four bytes are the CRC32C of the rest. */
    static boolean checksumHolds(byte[] frame) {
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, frame.length - 4);
        return (int) crc.getValue() == ByteBuffer.wrap(frame, frame.length - 4, 4).getInt();
    }

    /** A message: type, a 16-bit length, then the body. */
    static byte[] message(byte type, byte[] body) {
        return message(type, body.length, body);
    }

    /** A message whose length field says {@code declaredLength}, whatever the body's length. */
    static byte[] message(byte type, int declaredLength, byte[] body) {
        return ByteBuffer.allocate(3 + body.length).put(type).putShort((short) declaredLength).put(body).array();
    }

    /** A PING body: seq, then the target's identity. */
    static byte[] ping(int seq, Identifier target) {
        byte[] id = identity(target);
        return message(PING, ByteBuffer.allocate(4 + id.length).putInt(seq).put(id).array());
    }

    /** An ALIVE message with {@code metadata} (possibly longer than a node accepts). */
    static byte[] alive(int incarnation, Identifier member, byte[] metadata) {
        byte[] id = identity(member);
        return message(ALIVE, ByteBuffer.allocate(4 + id.length + 2 + metadata.length).putInt(incarnation).put(id)
                .putShort((short) metadata.length).put(metadata).array());
    }

    /** An identity: family (4 or 6), address, port. */
    static byte[] identity(Identifier id) {
        int n = id.addressLength();
        ByteBuffer b = ByteBuffer.allocate(1 + n + 2).put((byte) (n == 4 ? 4 : 6));
        for (int i = 0; i < n; i++) {
            b.put(id.addressByte(i));
        }
        return b.putShort((short) id.port()).array();
    }

    /**
     * The seq of an ACK in {@code frame} if it is a well-formed frame from {@code from}; empty otherwise. Messages
     * after the sender are walked by their headers (an ACK may carry gossip).
     */
    static Optional<Integer> ackSeq(byte[] frame, Identifier from) {
        byte[] sender = identity(from);
        int end = frame.length - 4;
        if (end < 9 + sender.length || !checksumHolds(frame)) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        for (int i = 0; i < MAGIC.length; i++) {
            if (frame[i] != MAGIC[i]) {
                return Optional.empty();
            }
        }
        if (frame[7] != VERSION || !ByteBuffer.wrap(frame, 9, sender.length).equals(ByteBuffer.wrap(sender))) {
            return Optional.empty();
        }
        int at = 9 + sender.length;
        while (at + 3 <= end) {
            byte type = frame[at];
            int length = b.getShort(at + 1) & 0xffff;
            if (type == ACK && length == 4 && at + 7 <= end) {
                return Optional.of(b.getInt(at + 3));
            }
            at += 3 + length;
        }
        return Optional.empty();
    }
}
