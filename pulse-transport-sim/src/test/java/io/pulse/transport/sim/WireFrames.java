package io.pulse.transport.sim;

import io.pulse.api.Identifier;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A test-side writer of version-1 plaintext frames, built from {@code docs/wire-format.md} alone (the engine's
 * {@code FrameWriter} stays internal to pulse-engine), so that a test can say anything a peer could put on the wire:
 * well-formed frames with lies in them, and frames broken in exactly one way.
 *
 * <pre>
 *  frame:    "qbpulse"(7) | version(1) | flags(1) | sender identity | message* | crc32c(4) over all before it
 *  message:  type(1) | body length(2) | body
 *  identity: family(1: 4 or 6) | address(4 or 16) | port(2)
 * </pre>
 *
 * <p>Not thread-safe; each writer owns its buffer. {@link #finish()} returns a fresh copy.
 */
final class WireFrames {

    static final byte PING = 0x01;
    static final byte ACK = 0x02;
    static final byte PING_REQ = 0x03;
    static final byte NACK = 0x04;
    static final byte ALIVE = 0x10;
    static final byte SUSPECT = 0x11;
    static final byte DEAD = 0x12;
    static final byte LEFT = 0x13;
    static final byte PUSH_PULL = 0x20;
    static final int PP_REPLY_WANTED = 0x01;
    static final int PP_JOIN = 0x02;
    static final int HEADER_BYTES = 9;
    static final int CRC_BYTES = 4;
    static final int MESSAGE_HEADER_BYTES = 3;
    private static final byte[] MAGIC = {'q', 'b', 'p', 'u', 'l', 's', 'e'};

    private final ByteBuffer buffer;
    private final StringBuilder log = new StringBuilder();
    private java.util.function.Function<Identifier, String> namer = Identifier::toString;
    private int messages;
    private boolean negativeIncarnation;

    /** A writer of frames up to {@code maxFrameBytes}. */
    WireFrames(int maxFrameBytes) {
        this.buffer = ByteBuffer.allocate(maxFrameBytes);
    }

    /** Names identities in {@link #log()} with {@code names} instead of their addresses. */
    WireFrames naming(java.util.function.Function<Identifier, String> names) {
        this.namer = names;
        return this;
    }

    /** The messages of the current frame, in words. */
    String log() {
        return log.toString();
    }

    static int identityBytes(Identifier id) {
        return id.isIpv6() ? 19 : 7;
    }

    static int aliveBytes(Identifier member, int metadataBytes) {
        return MESSAGE_HEADER_BYTES + 4 + identityBytes(member) + 2 + metadataBytes;
    }

    static int accusationBytes(Identifier member, Identifier accuser) {
        return MESSAGE_HEADER_BYTES + 4 + identityBytes(member) + identityBytes(accuser);
    }

    static int leftBytes(Identifier member) {
        return MESSAGE_HEADER_BYTES + 4 + identityBytes(member);
    }

    WireFrames begin(Identifier sender) {
        buffer.clear();
        log.setLength(0);
        negativeIncarnation = false;
        buffer.put(MAGIC).put((byte) 1).put((byte) 0);
        identity(sender);
        messages = 0;
        return this;
    }

    /** Bytes still free before the CRC trailer. */
    int remaining() {
        return buffer.capacity() - buffer.position() - CRC_BYTES;
    }

    int messages() {
        return messages;
    }

    /**
     * Whether the current frame holds an update with a negative incarnation, which makes the whole frame malformed
     * ({@code badIncarnation}): incarnations are 31-bit serial numbers.
     */
    boolean negativeIncarnation() {
        return negativeIncarnation;
    }

    WireFrames ping(int seq, Identifier target) {
        note("PING(seq " + seq + ", " + namer.apply(target) + ")");
        header(PING, 4 + identityBytes(target)).putInt(seq);
        return identity(target);
    }

    WireFrames pingReq(int seq, Identifier target) {
        note("PING_REQ(seq " + seq + ", " + namer.apply(target) + ")");
        header(PING_REQ, 4 + identityBytes(target)).putInt(seq);
        return identity(target);
    }

    WireFrames ack(int seq) {
        note("ACK(seq " + seq + ")");
        header(ACK, 4).putInt(seq);
        return this;
    }

    WireFrames nack(int seq) {
        note("NACK(seq " + seq + ")");
        header(NACK, 4).putInt(seq);
        return this;
    }

    WireFrames alive(int incarnation, Identifier member, byte[] metadata) {
        negativeIncarnation |= incarnation < 0;
        note("ALIVE(" + namer.apply(member) + ", " + incarnation + ", " + metadata.length + " metadata bytes)");
        header(ALIVE, 4 + identityBytes(member) + 2 + metadata.length).putInt(incarnation);
        identity(member);
        buffer.putShort((short) metadata.length).put(metadata);
        return this;
    }

    WireFrames suspect(int incarnation, Identifier member, Identifier accuser) {
        note("SUSPECT(" + namer.apply(member) + ", " + incarnation + ", by " + namer.apply(accuser) + ")");
        return accusation(SUSPECT, incarnation, member, accuser);
    }

    WireFrames dead(int incarnation, Identifier member, Identifier accuser) {
        note("DEAD(" + namer.apply(member) + ", " + incarnation + ", by " + namer.apply(accuser) + ")");
        return accusation(DEAD, incarnation, member, accuser);
    }

    WireFrames left(int incarnation, Identifier member) {
        negativeIncarnation |= incarnation < 0;
        note("LEFT(" + namer.apply(member) + ", " + incarnation + ")");
        header(LEFT, 4 + identityBytes(member)).putInt(incarnation);
        return identity(member);
    }

    WireFrames pushPull(int flags, int exchange, int chunk, int members) {
        note("PUSH_PULL(" + ((flags & PP_REPLY_WANTED) != 0 ? "reply wanted" : "no reply") + ((flags & PP_JOIN) != 0 ? ", joining" : "") + ", chunk " + chunk + ")");
        header(PUSH_PULL, 11).put((byte) flags).putInt(exchange).putShort((short) chunk).putInt(members);
        return this;
    }

    /** A message of any type code with any declared length and body, for malformed frames. */
    WireFrames raw(byte type, int declaredLength, byte[] body) {
        note(String.format("raw(type 0x%02x, length %d, %d body bytes)", type, declaredLength, body.length));
        header(type, declaredLength).put(body);
        return this;
    }

    /** Appends the CRC32C and returns a copy of the frame, positioned at 0. */
    ByteBuffer finish() {
        int end = buffer.position();
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, end);
        buffer.putInt((int) crc.getValue());
        byte[] out = new byte[end + CRC_BYTES];
        System.arraycopy(buffer.array(), 0, out, 0, out.length);
        return ByteBuffer.wrap(out);
    }

    /** Replaces bytes [offset, offset + bytes.length) of a finished frame and recomputes its CRC32C. */
    static ByteBuffer patch(ByteBuffer frame, int offset, byte... bytes) {
        byte[] a = frame.array().clone();
        System.arraycopy(bytes, 0, a, offset, bytes.length);
        return reseal(a);
    }

    /** Recomputes the CRC32C trailer over everything before it. */
    static ByteBuffer reseal(byte[] a) {
        CRC32C crc = new CRC32C();
        crc.update(a, 0, a.length - CRC_BYTES);
        ByteBuffer b = ByteBuffer.wrap(a);
        b.putInt(a.length - CRC_BYTES, (int) crc.getValue());
        return b;
    }

    private void note(String message) {
        log.append(log.length() == 0 ? "" : " ").append(message);
    }

    private WireFrames accusation(byte type, int incarnation, Identifier member, Identifier accuser) {
        negativeIncarnation |= incarnation < 0;
        header(type, 4 + identityBytes(member) + identityBytes(accuser)).putInt(incarnation);
        identity(member);
        return identity(accuser);
    }

    private ByteBuffer header(byte type, int bodyBytes) {
        messages++;
        return buffer.put(type).putShort((short) bodyBytes);
    }

    private WireFrames identity(Identifier id) {
        buffer.put((byte) (id.isIpv6() ? 6 : 4)).put(id.addressBytes()).putShort((short) id.port());
        return this;
    }
}
