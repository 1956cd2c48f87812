package io.pulse.engine.internal;

/**
 * The wire format's constants: magic, version, flags, message type codes and their fixed sizes.
 *
 * <p>Type codes are protocol: they are explicit bytes, never {@code ordinal()}; only append to the list, and gate
 * new fields by the version byte. The layout is documented in {@code docs/wire-format.md}.
 *
 * <pre>
 *  frame:   "qbpulse"(7) | version(1) | flags(1) | sender identity | message* | crc32c(4)
 *  message: type(1) | length(2, body bytes) | body
 *  identity: family(1: 4 or 6) | address(4 or 16) | port(2)
 * </pre>
 */
public final class Wire {

    private Wire() {
    }

    /** "qbpulse" in ASCII: the Go package's magic bytes. */
    public static final byte[] MAGIC = {'q', 'b', 'p', 'u', 'l', 's', 'e'};
    /** The frame format version this engine writes and reads. */
    public static final byte VERSION = 1;
    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = 7;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 8;
    /** Offset of the sender's identity. */
    public static final int SENDER_OFFSET = 9;
    /** Flags bit set by a transport that sealed the frame; never set in a frame the engine reads or writes. */
    public static final int FLAG_SEALED = 0x01;
    /** Bytes of the CRC32C trailer. */
    public static final int CRC_BYTES = 4;
    /** Bytes of a message header: type and body length. */
    public static final int MESSAGE_HEADER_BYTES = 3;
    /** The most messages one frame may hold; more is malformed. */
    public static final int MAX_MESSAGES_PER_FRAME = 512;

    /** Direct probe: seq(4) target(identity). */
    public static final byte PING = 0x01;
    /** Answer to a ping or a relayed answer to a ping-req: seq(4). */
    public static final byte ACK = 0x02;
    /** Indirect probe request: seq(4) target(identity). */
    public static final byte PING_REQ = 0x03;
    /** Lifeguard's negative answer to a ping-req: seq(4). */
    public static final byte NACK = 0x04;
    /** Membership update: incarnation(4) member(identity) metadataLength(2) metadata. */
    public static final byte ALIVE = 0x10;
    /** Membership update: incarnation(4) member(identity) accuser(identity). */
    public static final byte SUSPECT = 0x11;
    /** Membership update: incarnation(4) member(identity) accuser(identity). */
    public static final byte DEAD = 0x12;
    /** Membership update: incarnation(4) member(identity). */
    public static final byte LEFT = 0x13;
    /**
     * Push-pull state transfer header: flags(1) exchange(4) chunk(2) members(4); the updates of the chunk follow
     * as ordinary update messages in the same frame.
     */
    public static final byte PUSH_PULL = 0x20;

    /** Push-pull flag: the receiver should answer with its own full state. */
    public static final int PP_REPLY_WANTED = 0x01;
    /** Push-pull flag: the sender is joining through the receiver. */
    public static final int PP_JOIN = 0x02;

    /** Bytes of an encoded identity of an IPv4 member. */
    public static final int IPV4_IDENTITY_BYTES = 7;
    /** Bytes of an encoded identity of an IPv6 member. */
    public static final int IPV6_IDENTITY_BYTES = 19;

    /** Fixed body bytes of a push-pull header. */
    public static final int PUSH_PULL_BODY_BYTES = 11;

    /** Whether {@code type} is a membership update. */
    public static boolean isUpdate(byte type) {
        return type == ALIVE || type == SUSPECT || type == DEAD || type == LEFT;
    }
}
