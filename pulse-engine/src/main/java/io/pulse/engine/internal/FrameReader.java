package io.pulse.engine.internal;

import io.pulse.api.Identifier;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads one frame in place, as a flyweight over the received buffer: {@link #wrap} checks the whole frame (magic,
 * version, flags, checksum, every message's type and length, every identity) before anything is acted on, then
 * {@link #next()} walks the messages. Nothing is allocated except an {@link Identifier} for an IPv6 address.
 *
 * <p>Not thread-safe: only the node's event loop calls this.
 */
public final class FrameReader {

    /** Why a frame was rejected; {@link #OK} when it was not. Codes index {@link #NAMES}. */
    public static final int OK = 0;
    public static final int TRUNCATED = 1;
    public static final int BAD_MAGIC = 2;
    public static final int BAD_VERSION = 3;
    public static final int SEALED = 4;
    public static final int BAD_CHECKSUM = 5;
    public static final int BAD_LENGTH = 6;
    public static final int BAD_IDENTITY = 7;
    public static final int UNKNOWN_TYPE = 8;
    public static final int TOO_MANY_MESSAGES = 9;
    public static final int OVERSIZED_METADATA = 10;
    public static final int BAD_FLAGS = 11;
    /** A membership update whose incarnation is negative: incarnations are 31-bit ({@link Incarnations}). */
    public static final int BAD_INCARNATION = 12;
    /** Counter names of the rejection reasons, indexed by code. */
    public static final String[] NAMES = {"ok", "truncated", "badMagic", "badVersion", "sealed", "badChecksum",
        "badLength", "badIdentity", "unknownType", "tooManyMessages", "oversizedMetadata", "badFlags",
        "badIncarnation"};

    private final CRC32C crc = new CRC32C();
    private final int metadataMaxBytes;
    private ByteBuffer buf;
    private int base;
    private int end;
    private int cursor;
    private int type;
    private int body;
    private int bodyLength;
    private int senderOffset;

    /** A reader that refuses metadata longer than {@code metadataMaxBytes}. */
    public FrameReader(int metadataMaxBytes) {
        this.metadataMaxBytes = metadataMaxBytes;
    }

    /**
     * Checks the frame between the buffer's position and limit. Leaves the buffer's position and limit as they
     * were.
     *
     * @return {@link #OK}, or the reason the frame must be dropped
     */
    public int wrap(ByteBuffer buffer) {
        this.buf = buffer;
        this.base = buffer.position();
        int length = buffer.limit() - base;
        if (length < Wire.SENDER_OFFSET + Wire.IPV4_IDENTITY_BYTES + Wire.CRC_BYTES) {
            return TRUNCATED;
        }
        for (int i = 0; i < Wire.MAGIC.length; i++) {
            if (buffer.get(base + i) != Wire.MAGIC[i]) {
                return BAD_MAGIC;
            }
        }
        if (buffer.get(base + Wire.VERSION_OFFSET) != Wire.VERSION) {
            return BAD_VERSION;
        }
        int flags = buffer.get(base + Wire.FLAGS_OFFSET);
        if ((flags & Wire.FLAG_SEALED) != 0) {
            return SEALED;
        }
        if (flags != 0) {
            return BAD_FLAGS;
        }
        end = base + length - Wire.CRC_BYTES;
        int expected = buffer.getInt(end);
        int limit = buffer.limit();
        buffer.limit(end);
        crc.reset();
        crc.update(buffer);
        buffer.limit(limit);
        buffer.position(base);
        if ((int) crc.getValue() != expected) {
            return BAD_CHECKSUM;
        }
        senderOffset = base + Wire.SENDER_OFFSET;
        int at = identityEnd(senderOffset, end);
        if (at < 0) {
            return BAD_IDENTITY;
        }
        int count = 0;
        while (at < end) {
            if (at + Wire.MESSAGE_HEADER_BYTES > end) {
                return TRUNCATED;
            }
            if (++count > Wire.MAX_MESSAGES_PER_FRAME) {
                return TOO_MANY_MESSAGES;
            }
            byte t = buffer.get(at);
            int len = buffer.getShort(at + 1) & 0xffff;
            int b = at + Wire.MESSAGE_HEADER_BYTES;
            if (b + len > end) {
                return TRUNCATED;
            }
            int reason = checkBody(t, b, len);
            if (reason != OK) {
                return reason;
            }
            if (Wire.isUpdate(t) && buffer.getInt(b) < 0) {
                return BAD_INCARNATION;
            }
            at = b + len;
        }
        cursor = identityEnd(senderOffset, end);
        return OK;
    }

    /** Advances to the next message; false when there are no more. */
    public boolean next() {
        if (cursor >= end) {
            return false;
        }
        type = buf.get(cursor);
        bodyLength = buf.getShort(cursor + 1) & 0xffff;
        body = cursor + Wire.MESSAGE_HEADER_BYTES;
        cursor = body + bodyLength;
        return true;
    }

    /** The current message's type code. */
    public byte type() {
        return (byte) type;
    }

    /** Absolute offset of the sender's identity. */
    public int senderOffset() {
        return senderOffset;
    }

    /** Absolute offset of the current message's body. */
    public int body() {
        return body;
    }

    /** The wrapped buffer. */
    public ByteBuffer buffer() {
        return buf;
    }

    /** A 32-bit field at an absolute offset. */
    public int int32(int offset) {
        return buf.getInt(offset);
    }

    /** An unsigned 16-bit field at an absolute offset. */
    public int uint16(int offset) {
        return buf.getShort(offset) & 0xffff;
    }

    /** An unsigned byte at an absolute offset. */
    public int uint8(int offset) {
        return buf.get(offset) & 0xff;
    }

    /** The offset just past the identity at {@code offset} (already validated). */
    public int skipIdentity(int offset) {
        return offset + (buf.get(offset) == 4 ? Wire.IPV4_IDENTITY_BYTES : Wire.IPV6_IDENTITY_BYTES);
    }

    /** Whether the identity at {@code offset} is IPv4. */
    public boolean isIpv4(int offset) {
        return buf.get(offset) == 4;
    }

    /** The lookup key of the IPv4 identity at {@code offset}; see {@link MemberTable#ipv4Key}. */
    public long ipv4Key(int offset) {
        return MemberTable.ipv4Key(buf.getInt(offset + 1), buf.getShort(offset + 5) & 0xffff);
    }

    /** Builds the identity at {@code offset} (allocates). */
    public Identifier identity(int offset) {
        int n = buf.get(offset) == 4 ? 4 : 16;
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = buf.get(offset + 1 + i);
        }
        return Identifier.of(a, buf.getShort(offset + 1 + n) & 0xffff);
    }

    /** Whether the identity at {@code offset} equals {@code id}. */
    public boolean identityEquals(int offset, Identifier id) {
        int n = id.addressLength();
        if ((buf.get(offset) == 4) != (n == 4)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf.get(offset + 1 + i) != id.addressByte(i)) {
                return false;
            }
        }
        return (buf.getShort(offset + 1 + n) & 0xffff) == id.port();
    }

    private int identityEnd(int offset, int limit) {
        if (offset >= limit) {
            return -1;
        }
        byte family = buf.get(offset);
        int len = family == 4 ? Wire.IPV4_IDENTITY_BYTES : family == 6 ? Wire.IPV6_IDENTITY_BYTES : -1;
        if (len < 0 || offset + len > limit) {
            return -1;
        }
        return offset + len;
    }

    private int checkBody(byte t, int b, int len) {
        int stop = b + len;
        int at;
        switch (t) {
            case Wire.ACK, Wire.NACK -> {
                return len == 4 ? OK : BAD_LENGTH;
            }
            case Wire.PING, Wire.PING_REQ -> {
                if (len < 4) {
                    return BAD_LENGTH;
                }
                at = identityEnd(b + 4, stop);
                return at < 0 ? BAD_IDENTITY : at == stop ? OK : BAD_LENGTH;
            }
            case Wire.ALIVE -> {
                if (len < 4) {
                    return BAD_LENGTH;
                }
                at = identityEnd(b + 4, stop);
                if (at < 0) {
                    return BAD_IDENTITY;
                }
                if (at + 2 > stop) {
                    return BAD_LENGTH;
                }
                int m = buf.getShort(at) & 0xffff;
                if (m > metadataMaxBytes) {
                    return OVERSIZED_METADATA;
                }
                return at + 2 + m == stop ? OK : BAD_LENGTH;
            }
            case Wire.SUSPECT, Wire.DEAD -> {
                if (len < 4) {
                    return BAD_LENGTH;
                }
                at = identityEnd(b + 4, stop);
                if (at < 0) {
                    return BAD_IDENTITY;
                }
                at = identityEnd(at, stop);
                return at < 0 ? BAD_IDENTITY : at == stop ? OK : BAD_LENGTH;
            }
            case Wire.LEFT -> {
                if (len < 4) {
                    return BAD_LENGTH;
                }
                at = identityEnd(b + 4, stop);
                return at < 0 ? BAD_IDENTITY : at == stop ? OK : BAD_LENGTH;
            }
            case Wire.PUSH_PULL -> {
                return len == Wire.PUSH_PULL_BODY_BYTES ? OK : BAD_LENGTH;
            }
            default -> {
                return UNKNOWN_TYPE;
            }
        }
    }
}
