package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.engine.internal.FrameWriter;
import java.nio.ByteBuffer;
import io.pulse.engine.internal.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Admission on a plaintext cluster: what a host that can reach the port, but holds no key, can make a node do. The
 * member table stays within its configured bound however many members frames invent.
 */
class AdmissionTest {

    private static final long S = 1_000_000_000L;

    /** Frames from {@code sender}, each as full of invented ALIVE members as fits, {@code count} members in all. */
    private static byte[][] inventedAlives(Identifier sender, int firstHost, int count) {
        java.util.List<byte[]> frames = new java.util.ArrayList<>();
        FrameWriter w = new FrameWriter(1400);
        int made = 0;
        while (made < count) {
            w.begin(sender);
            while (made < count) {
                Identifier id = Identifier.of(new byte[] {(byte) 172, 16, (byte) ((firstHost + made) >>> 8),
                    (byte) (firstHost + made)}, 7946 + ((firstHost + made) >>> 16));
                if (!w.fits(FrameWriter.aliveBytes(id, 0))) {
                    break;
                }
                w.putAlive(0, id, Metadata.EMPTY);
                made++;
            }
            ByteBuffer f = w.finish();
            byte[] b = new byte[f.remaining()];
            f.get(b);
            frames.add(b);
        }
        return frames.toArray(new byte[0][]);
    }

    @Test
    void inventedMembersStopAtMaxMembersAndAreCounted() {
        PulseConfig config = PulseConfig.lan().toBuilder().maxMembers(64).build();
        HandWired c = new HandWired(3, config, 5);
        c.runUntil(2 * S);
        Identifier attacker = HandWired.id(66);
        for (byte[] f : inventedAlives(attacker, 1, 1000)) {
            c.inject(0, attacker, f);
        }
        assertEquals(64, c.nodes[0].knownMembers(), "the table is full, and no fuller");
        assertEquals(1000 - 61, c.nodes[0].counter("rejectedMembers"), "every invented member refused is counted");
        c.runUntil(60 * S);
        assertTrue(c.nodes[1].knownMembers() <= 64 && c.nodes[2].knownMembers() <= 64,
                "gossip and state transfers do not carry the flood past the bound either: "
                        + c.nodes[1].knownMembers() + ", " + c.nodes[2].knownMembers());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(State.ALIVE, c.nodes[i].stateOf(c.ids[j]).orElseThrow(), "real members stay ALIVE");
            }
        }
    }

    @Test
    void theDefaultBoundHoldsAgainstAFlood() {
        PulseConfig config = PulseConfig.lan();
        assertEquals(16_384, config.maxMembers());
        HandWired c = new HandWired(3, config, 5);
        c.runUntil(2 * S);
        Identifier attacker = HandWired.id(66);
        for (byte[] f : inventedAlives(attacker, 1, 20_000)) {
            c.inject(0, attacker, f);
        }
        assertEquals(16_384, c.nodes[0].knownMembers());
        assertEquals(20_000 - (16_384 - 3), c.nodes[0].counter("rejectedMembers"));
    }

    private static byte[] stateRequest(Identifier claimedSender, int flags) {
        FrameWriter w = new FrameWriter(1400);
        w.begin(claimedSender);
        w.putPushPull(flags, 1, 0, 1);
        w.putAlive(0, claimedSender, Metadata.EMPTY);
        ByteBuffer f = w.finish();
        byte[] b = new byte[f.remaining()];
        f.get(b);
        return b;
    }

    @ParameterizedTest(name = "flags {0}")
    @ValueSource(ints = {Wire.PP_REPLY_WANTED, Wire.PP_REPLY_WANTED | Wire.PP_JOIN})
    void aStateRequestIsAnsweredToItsSourceOnly(int flags) {
        HandWired c = new HandWired(3, PulseConfig.lan(), 5);
        c.runUntil(2 * S);
        Identifier attacker = HandWired.id(66);
        for (byte[] f : inventedAlives(attacker, 1, 2000)) {
            c.inject(0, attacker, f); // a large table makes a large answer
        }
        Identifier victim = Identifier.of(new byte[] {(byte) 192, 0, 2, 1}, 53);
        byte[] request = stateRequest(victim, flags);
        c.strays.clear();
        c.inject(0, attacker, request);
        long toVictim = 0;
        long toSource = 0;
        for (HandWired.Sent sent : c.strays) {
            if (sent.to().equals(victim)) {
                toVictim += sent.bytes().length;
            } else if (sent.to().equals(attacker)) {
                toSource += sent.bytes().length;
            }
        }
        assertEquals(0, toVictim, "a " + request.length + "-byte request claiming to come from " + victim
                + " made the node send it " + toVictim + " bytes of state");
        assertTrue(toSource > 30_000, "the state went to the datagram's source: " + toSource + " bytes");
    }
}
