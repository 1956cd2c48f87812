package io.pulse.engine.internal;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Writes one frame at a time into a buffer it owns and reuses: {@link #begin}, any number of {@code put*} calls
 * that fit in {@link #remaining()}, then {@link #finish()}. Allocates nothing per frame.
 *
 * <p>Not thread-safe: only the node's event loop calls this.
 */
public final class FrameWriter {

    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private final int capacity;
    private int messages;

    /** A writer whose frames are at most {@code maxFrameBytes} long. */
    public FrameWriter(int maxFrameBytes) {
        this.capacity = maxFrameBytes;
        this.buffer = ByteBuffer.allocate(maxFrameBytes);
    }

    /** The bytes an encoded identity takes. */
    public static int identityBytes(Identifier id) {
        return id.isIpv6() ? Wire.IPV6_IDENTITY_BYTES : Wire.IPV4_IDENTITY_BYTES;
    }

    /** The bytes an ALIVE message takes, header included. */
    public static int aliveBytes(Identifier member, int metadataBytes) {
        return Wire.MESSAGE_HEADER_BYTES + 4 + identityBytes(member) + 2 + metadataBytes;
    }

    /** The bytes a SUSPECT or DEAD message takes, header included. */
    public static int accusationBytes(Identifier member, Identifier accuser) {
        return Wire.MESSAGE_HEADER_BYTES + 4 + identityBytes(member) + identityBytes(accuser);
    }

    /** The bytes a PING message to {@code target} takes, header included. */
    public static int pingBytes(Identifier target) {
        return Wire.MESSAGE_HEADER_BYTES + 4 + identityBytes(target);
    }

    /** The bytes a LEFT message takes, header included. */
    public static int leftBytes(Identifier member) {
        return Wire.MESSAGE_HEADER_BYTES + 4 + identityBytes(member);
    }

    /** Starts a frame from {@code sender}, discarding anything unfinished. */
    public void begin(Identifier sender) {
        buffer.clear();
        buffer.put(Wire.MAGIC).put(Wire.VERSION).put((byte) 0);
        putIdentity(sender);
        messages = 0;
    }

    /** Bytes still free for messages before the CRC trailer. */
    public int remaining() {
        return capacity - buffer.position() - Wire.CRC_BYTES;
    }

    /** How many messages the current frame holds. */
    public int messages() {
        return messages;
    }

    /** Whether another message of {@code bytes} (header included) fits. */
    public boolean fits(int bytes) {
        return bytes <= remaining() && messages < Wire.MAX_MESSAGES_PER_FRAME;
    }

    public void putPing(int seq, Identifier target) {
        header(Wire.PING, 4 + identityBytes(target));
        buffer.putInt(seq);
        putIdentity(target);
    }

    public void putPingReq(int seq, Identifier target) {
        header(Wire.PING_REQ, 4 + identityBytes(target));
        buffer.putInt(seq);
        putIdentity(target);
    }

    public void putAck(int seq) {
        header(Wire.ACK, 4);
        buffer.putInt(seq);
    }

    public void putNack(int seq) {
        header(Wire.NACK, 4);
        buffer.putInt(seq);
    }

    public void putAlive(int incarnation, Identifier member, Metadata metadata) {
        int m = metadata.size();
        header(Wire.ALIVE, 4 + identityBytes(member) + 2 + m);
        buffer.putInt(incarnation);
        putIdentity(member);
        buffer.putShort((short) m);
        for (int i = 0; i < m; i++) {
            buffer.put(metadata.byteAt(i));
        }
    }

    public void putSuspect(int incarnation, Identifier member, Identifier accuser) {
        accusation(Wire.SUSPECT, incarnation, member, accuser);
    }

    public void putDead(int incarnation, Identifier member, Identifier accuser) {
        accusation(Wire.DEAD, incarnation, member, accuser);
    }

    public void putLeft(int incarnation, Identifier member) {
        header(Wire.LEFT, 4 + identityBytes(member));
        buffer.putInt(incarnation);
        putIdentity(member);
    }

    public void putPushPull(int flags, int exchange, int chunk, int members) {
        header(Wire.PUSH_PULL, Wire.PUSH_PULL_BODY_BYTES);
        buffer.put((byte) flags).putInt(exchange).putShort((short) chunk).putInt(members);
    }

    /**
     * Appends the CRC32C and returns the frame, positioned at 0 with its length as limit. The buffer stays the
     * writer's: use it before the next {@link #begin}.
     */
    public ByteBuffer finish() {
        int end = buffer.position();
        crc.reset();
        crc.update(buffer.array(), 0, end);
        buffer.putInt((int) crc.getValue());
        buffer.flip();
        return buffer;
    }

    private void accusation(byte type, int incarnation, Identifier member, Identifier accuser) {
        header(type, 4 + identityBytes(member) + identityBytes(accuser));
        buffer.putInt(incarnation);
        putIdentity(member);
        putIdentity(accuser);
    }

    private void header(byte type, int bodyBytes) {
        buffer.put(type).putShort((short) bodyBytes);
        messages++;
    }

    private void putIdentity(Identifier id) {
        int n = id.addressLength();
        buffer.put((byte) (n == 4 ? 4 : 6));
        for (int i = 0; i < n; i++) {
            buffer.put(id.addressByte(i));
        }
        buffer.putShort((short) id.port());
    }
}
