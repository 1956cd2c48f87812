package io.pulse.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32C;

/**
 * Datagrams in pulse's plaintext wire format (docs/wire-format.md, "Frame and messages"), written by hand so that the
 * tests depend on the documented format, not on the engine's codec: well-formed probes, and garbage of every
 * degree, from random bytes to frames that are valid but for one field.
 *
 * <p>Every identity a generated frame names is a loopback address in 127.200.0.0 – 127.254.255.255 (or the one the
 * caller gives), so whatever a node does with it (answer, probe, gossip) stays on this machine.
 */
final class Frames {

    static final byte[] MAGIC = "qbpulse".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    static final byte PING = 0x01;
    static final byte ACK = 0x02;
    static final byte PING_REQ = 0x03;
    static final byte NACK = 0x04;
    static final byte ALIVE = 0x10;
    static final byte SUSPECT = 0x11;
    static final byte DEAD = 0x12;
    static final byte LEFT = 0x13;
    static final byte PUSH_PULL = 0x20;

    private final RandomGenerator random;

    Frames(RandomGenerator random) {
        this.random = random;
    }

    /** A PING from {@code sender} to {@code target} with sequence number {@code seq}: a real probe. */
    static byte[] ping(byte[] sender, byte[] target, int seq) {
        ByteBuffer body = ByteBuffer.allocate(4 + target.length).putInt(seq).put(target);
        return frame(sender, message(PING, body.array()));
    }

    /** An IPv4 identity: family 4, the address, the port. */
    static byte[] identity(byte[] ipv4, int port) {
        return ByteBuffer.allocate(7).put((byte) 4).put(ipv4).putShort((short) port).array();
    }

    /** A whole frame: header, sender, messages, CRC32C. */
    static byte[] frame(byte[] sender, byte[]... messages) {
        int n = 9 + sender.length + Arrays.stream(messages).mapToInt(m -> m.length).sum() + 4;
        ByteBuffer b = ByteBuffer.allocate(n).put(MAGIC).put(VERSION).put((byte) 0).put(sender);
        for (byte[] m : messages) {
            b.put(m);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, n - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** One message: type, body length, body. */
    static byte[] message(byte type, byte[] body) {
        return ByteBuffer.allocate(3 + body.length).put(type).putShort((short) body.length).put(body).array();
    }

    /** A membership update (ALIVE without metadata, SUSPECT, DEAD or LEFT); {@code accuser} null for LEFT. */
    static byte[] is(byte type, int incarnation, byte[] member, byte[] accuser) {
        ByteBuffer b = ByteBuffer.allocate(4 + member.length + (accuser == null ? 0 : accuser.length))
                .putInt(incarnation).put(member);
        if (accuser != null) {
            b.put(accuser);
        }
        return message(type, b.array());
    }

    // ------------------------------------------------------------------------------------------------ garbage

    /** A loopback identity that names no real node (127.200.0.0/8-ish, any port). */
    byte[] strangerIdentity() {
        byte[] a = {127, (byte) (200 + random.nextInt(55)), (byte) random.nextInt(256), (byte) (1 + random.nextInt(254))};
        return identity(a, 1024 + random.nextInt(60000));
    }

    /** Random bytes of a random length in [0, 1500]. */
    byte[] randomBytes() {
        byte[] b = new byte[random.nextInt(1501)];
        random.nextBytes(b);
        return b;
    }

    /** The right header, then random bytes. */
    byte[] headerThenNoise() {
        byte[] b = new byte[9 + random.nextInt(1400)];
        random.nextBytes(b);
        System.arraycopy(MAGIC, 0, b, 0, MAGIC.length);
        b[7] = VERSION;
        b[8] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0);
        return b;
    }

    /**
     * A well-formed frame from a stranger with one to four random messages (probes, acks, push-pull headers;
     * membership updates about strangers only now and then, so the member tables stay small), checksum right.
     */
    byte[] validish() {
        int count = 1 + random.nextInt(4);
        byte[][] msgs = new byte[count][];
        for (int i = 0; i < count; i++) {
            msgs[i] = randomMessage();
        }
        return frame(strangerIdentity(), msgs);
    }

    private byte[] randomMessage() {
        int pick = random.nextInt(100);
        if (pick < 25) {
            return message(PING, ByteBuffer.allocate(11).putInt(random.nextInt()).put(strangerIdentity()).array());
        } else if (pick < 45) {
            return message(ACK, ByteBuffer.allocate(4).putInt(random.nextInt()).array());
        } else if (pick < 55) {
            return message(NACK, ByteBuffer.allocate(4).putInt(random.nextInt()).array());
        } else if (pick < 65) {
            return message(PUSH_PULL, ByteBuffer.allocate(11).put((byte) 0).putInt(random.nextInt())
                    .putShort((short) random.nextInt(4)).putInt(random.nextInt(3)).array());
        } else if (pick < 67) {
            return is(SUSPECT, random.nextInt(5), strangerIdentity(), strangerIdentity());
        } else if (pick < 68) {
            return is(LEFT, random.nextInt(5), strangerIdentity(), null);
        } else if (pick < 80) {
            // a known type with a body of the wrong length
            byte[] body = new byte[random.nextInt(40)];
            random.nextBytes(body);
            return message(new byte[] {PING, ACK, PING_REQ, NACK, ALIVE, SUSPECT, DEAD, LEFT}[random.nextInt(8)],
                    body);
        } else if (pick < 90) {
            // an unknown type
            byte[] body = new byte[random.nextInt(20)];
            random.nextBytes(body);
            byte type;
            do {
                type = (byte) random.nextInt(256);
            } while (type == PING || type == ACK || type == PING_REQ || type == NACK || type == ALIVE
                    || type == SUSPECT || type == DEAD || type == LEFT || type == PUSH_PULL);
            return message(type, body);
        } else {
            // a length that runs past the end of the frame
            byte[] m = message(ACK, ByteBuffer.allocate(4).putInt(random.nextInt()).array());
            m[1] = (byte) 0x7f;
            return m;
        }
    }

    /**
     * {@code original}, damaged: bits flipped, bytes overwritten, cut short, or lengthened; the checksum is not
     * repaired (so the damage is caught by the checksum or an earlier check).
     */
    byte[] mutate(byte[] original) {
        byte[] b = original.clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                int at = random.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + random.nextInt(16));
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 3 -> {
                int extra = 1 + random.nextInt(64);
                b = Arrays.copyOf(b, b.length + extra);
                for (int i = original.length; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
            default -> {
                // a header byte: magic, version or flags
                int at = random.nextInt(9);
                b[at] = (byte) (b[at] + 1 + random.nextInt(255));
            }
        }
        return b;
    }
}
