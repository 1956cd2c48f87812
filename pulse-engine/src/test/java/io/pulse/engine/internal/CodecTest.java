package io.pulse.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The frame codec: every message round-trips, and no input, however broken, escapes the typed rejection. */
class CodecTest {

    /** A decoded message, as plain values, for comparison. */
    private record Msg(byte type, List<Object> fields) {
    }

    private static Identifier randomId(SplittableRandom r) {
        byte[] a = new byte[r.nextBoolean() ? 4 : 16];
        r.nextBytes(a);
        return Identifier.of(a, r.nextInt(65536));
    }

    /** Writes a random frame into {@code w} and returns what it wrote. */
    private static List<Msg> randomFrame(SplittableRandom r, FrameWriter w, Identifier sender) {
        w.begin(sender);
        List<Msg> out = new ArrayList<>();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            int seq = r.nextInt();
            int inc = r.nextInt(Integer.MAX_VALUE);
            Identifier a = randomId(r);
            Identifier b = randomId(r);
            if (w.remaining() < 200) {
                break;
            }
            switch (r.nextInt(9)) {
                case 0 -> {
                    w.putPing(seq, a);
                    out.add(new Msg(Wire.PING, List.of(seq, a)));
                }
                case 1 -> {
                    w.putAck(seq);
                    out.add(new Msg(Wire.ACK, List.of(seq)));
                }
                case 2 -> {
                    w.putPingReq(seq, a);
                    out.add(new Msg(Wire.PING_REQ, List.of(seq, a)));
                }
                case 3 -> {
                    w.putNack(seq);
                    out.add(new Msg(Wire.NACK, List.of(seq)));
                }
                case 4 -> {
                    byte[] md = new byte[r.nextInt(40)];
                    r.nextBytes(md);
                    w.putAlive(inc, a, Metadata.of(md));
                    out.add(new Msg(Wire.ALIVE, List.of(inc, a, Metadata.of(md))));
                }
                case 5 -> {
                    w.putSuspect(inc, a, b);
                    out.add(new Msg(Wire.SUSPECT, List.of(inc, a, b)));
                }
                case 6 -> {
                    w.putDead(inc, a, b);
                    out.add(new Msg(Wire.DEAD, List.of(inc, a, b)));
                }
                case 7 -> {
                    w.putLeft(inc, a);
                    out.add(new Msg(Wire.LEFT, List.of(inc, a)));
                }
                default -> {
                    int flags = r.nextInt(4);
                    int chunk = r.nextInt(65536);
                    w.putPushPull(flags, seq, chunk, inc);
                    out.add(new Msg(Wire.PUSH_PULL, List.of(flags, seq, chunk, inc)));
                }
            }
        }
        return out;
    }

    private static List<Msg> decode(FrameReader rd) {
        List<Msg> out = new ArrayList<>();
        while (rd.next()) {
            int b = rd.body();
            byte t = rd.type();
            switch (t) {
                case Wire.PING, Wire.PING_REQ -> out.add(new Msg(t, List.of(rd.int32(b), rd.identity(b + 4))));
                case Wire.ACK, Wire.NACK -> out.add(new Msg(t, List.of(rd.int32(b))));
                case Wire.ALIVE -> {
                    int lo = rd.skipIdentity(b + 4);
                    byte[] md = new byte[rd.uint16(lo)];
                    rd.buffer().get(lo + 2, md);
                    out.add(new Msg(t, List.of(rd.int32(b), rd.identity(b + 4), Metadata.of(md))));
                }
                case Wire.SUSPECT, Wire.DEAD -> out.add(new Msg(t, List.of(rd.int32(b), rd.identity(b + 4),
                        rd.identity(rd.skipIdentity(b + 4)))));
                case Wire.LEFT -> out.add(new Msg(t, List.of(rd.int32(b), rd.identity(b + 4))));
                case Wire.PUSH_PULL -> out.add(new Msg(t, List.of(rd.uint8(b), rd.int32(b + 1), rd.uint16(b + 5),
                        rd.int32(b + 7))));
                default -> throw new AssertionError("unexpected type " + t);
            }
        }
        return out;
    }

    @Test
    void everyMessageRoundTrips() {
        FrameWriter w = new FrameWriter(1400);
        FrameReader rd = new FrameReader(512);
        qt().forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            Identifier sender = randomId(r);
            List<Msg> written = randomFrame(r, w, sender);
            ByteBuffer frame = w.finish();
            assertEquals(FrameReader.OK, rd.wrap(frame));
            assertEquals(sender, rd.identity(rd.senderOffset()));
            assertEquals(written, decode(rd));
            assertEquals(0, frame.position(), "the reader leaves the buffer as it was");
        });
    }

    @Test
    void mutatedFramesAreRejectedWithAReasonAndNeverThrow() {
        FrameWriter w = new FrameWriter(1400);
        FrameReader rd = new FrameReader(512);
        qt().withExamples(3000).forAll(longs().all(), integers().between(0, 5)).checkAssert((seed, how) -> {
            SplittableRandom r = new SplittableRandom(seed);
            randomFrame(r, w, randomId(r));
            ByteBuffer good = w.finish();
            byte[] bytes = new byte[good.remaining()];
            good.get(bytes);
            byte[] bad = switch (how) {
                case 0 -> flipBits(bytes, r);
                case 1 -> java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length)); // truncate
                case 2 -> extend(bytes, r);
                case 3 -> spliceLength(bytes, r);
                case 4 -> randomBytes(r);
                default -> withValidCrc(flipBits(bytes, r));
            };
            int reason = rd.wrap(ByteBuffer.wrap(bad));
            assertTrue(reason >= FrameReader.OK && reason < FrameReader.NAMES.length);
            if (reason == FrameReader.OK) {
                decode(rd); // whatever survived the checks must decode without throwing
            }
        });
    }

    @Test
    void eachRejectionHasItsOwnReason() {
        FrameWriter w = new FrameWriter(1400);
        FrameReader rd = new FrameReader(16);
        Identifier s = Identifier.parse("10.0.0.1:1");
        w.begin(s);
        w.putAck(1);
        byte[] ok = toBytes(w.finish());
        assertEquals(FrameReader.OK, rd.wrap(ByteBuffer.wrap(ok)));
        assertEquals(FrameReader.TRUNCATED, rd.wrap(ByteBuffer.wrap(new byte[5])));
        byte[] magic = ok.clone();
        magic[0] = 'x';
        assertEquals(FrameReader.BAD_MAGIC, rd.wrap(ByteBuffer.wrap(magic)));
        byte[] version = ok.clone();
        version[Wire.VERSION_OFFSET] = 9;
        assertEquals(FrameReader.BAD_VERSION, rd.wrap(ByteBuffer.wrap(version)));
        byte[] sealed = ok.clone();
        sealed[Wire.FLAGS_OFFSET] = Wire.FLAG_SEALED;
        assertEquals(FrameReader.SEALED, rd.wrap(ByteBuffer.wrap(sealed)));
        byte[] crc = ok.clone();
        crc[crc.length - 1] ^= 1;
        assertEquals(FrameReader.BAD_CHECKSUM, rd.wrap(ByteBuffer.wrap(crc)));
        byte[] type = ok.clone();
        type[Wire.SENDER_OFFSET + Wire.IPV4_IDENTITY_BYTES] = 0x7f;
        assertEquals(FrameReader.UNKNOWN_TYPE, rd.wrap(ByteBuffer.wrap(withValidCrc(type))));
        w.begin(s);
        w.putAlive(1, s, Metadata.of(new byte[17]));
        assertEquals(FrameReader.OVERSIZED_METADATA, rd.wrap(w.finish()));
    }

    private static byte[] toBytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] flipBits(byte[] in, SplittableRandom r) {
        byte[] out = in.clone();
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int bit = r.nextInt(out.length * 8);
            out[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return out;
    }

    private static byte[] extend(byte[] in, SplittableRandom r) {
        byte[] out = java.util.Arrays.copyOf(in, in.length + 1 + r.nextInt(50));
        for (int i = in.length; i < out.length; i++) {
            out[i] = (byte) r.nextInt();
        }
        return r.nextBoolean() ? withValidCrc(out) : out;
    }

    private static byte[] spliceLength(byte[] in, SplittableRandom r) {
        byte[] out = in.clone();
        int at = Wire.SENDER_OFFSET + Wire.IPV4_IDENTITY_BYTES + 1;
        if (at + 1 < out.length) {
            out[at] = (byte) r.nextInt();
            out[at + 1] = (byte) r.nextInt();
        }
        return withValidCrc(out);
    }

    private static byte[] randomBytes(SplittableRandom r) {
        byte[] out = new byte[r.nextInt(300)];
        r.nextBytes(out);
        if (out.length > 9 && r.nextBoolean()) {
            System.arraycopy(Wire.MAGIC, 0, out, 0, 7);
            out[7] = Wire.VERSION;
            out[8] = 0;
            return withValidCrc(out);
        }
        return out;
    }

    /** Re-seals a mutated frame with a correct CRC, so that the structural checks behind it are exercised. */
    private static byte[] withValidCrc(byte[] in) {
        if (in.length < 4) {
            return in;
        }
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(in, 0, in.length - 4);
        ByteBuffer.wrap(in).putInt(in.length - 4, (int) c.getValue());
        return in;
    }
}
