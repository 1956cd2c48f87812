package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.engine.internal.FrameWriter;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No input may lock a live member out for good: whatever incarnation a forged accusation claims, the member can
 * answer it with one every member takes as newer (incarnations are serial numbers modulo 2^31, which never reach a
 * ceiling).
 */
class NoInputLocksOutTest {

    private static final long S = 1_000_000_000L;
    private static final int X = 2;

    private static byte[] forged(Identifier claimedSender, byte type, int incarnation, Identifier member) {
        FrameWriter w = new FrameWriter(1400);
        w.begin(claimedSender);
        if (type == 's') {
            w.putSuspect(incarnation, member, claimedSender);
        } else if (type == 'd') {
            w.putDead(incarnation, member, claimedSender);
        } else {
            w.putAlive(incarnation, member, io.pulse.api.Metadata.EMPTY);
        }
        ByteBuffer f = w.finish();
        byte[] b = new byte[f.remaining()];
        f.get(b);
        return b;
    }

    private static void assertAliveEverywhere(HandWired c, String what) {
        for (int i = 0; i < c.nodes.length; i++) {
            assertEquals(State.ALIVE, c.nodes[i].stateOf(c.ids[X]).orElseThrow(),
                    what + ": member " + c.ids[X] + " as node " + i + " sees it (its incarnation there "
                            + c.nodes[i].incarnationOf(c.ids[X]) + ", its own " + c.nodes[X].incarnation()
                            + (c.stormAtNs >= 0 ? "; the network gave up in a datagram storm at "
                            + c.stormAtNs / 1_000_000 + " ms" : "") + ")");
        }
        assertEquals(-1, c.stormAtNs, "no datagram storm");
    }

    @ParameterizedTest(name = "directMonitorThreshold {0}")
    @ValueSource(ints = {0, 100})
    void aForgedSuspicionAtTheLargestIncarnationIsRefuted(int threshold) {
        PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(threshold).build();
        HandWired c = new HandWired(3, config, 7);
        c.runUntil(5 * S);
        Identifier attacker = HandWired.id(66);
        byte[] lie = forged(attacker, (byte) 's', Integer.MAX_VALUE, c.ids[X]);
        c.inject(0, attacker, lie);
        c.inject(1, attacker, lie);
        c.runUntil(60 * S);
        assertAliveEverywhere(c, "after SUSPECT(x, 2^31 - 1)");
        // and when the member stands where 2^31 - 1 is newer, its refutation wraps around to 0
        byte[] halfway = forged(attacker, (byte) 's', (1 << 30) + 7, c.ids[X]);
        c.inject(0, attacker, halfway);
        c.inject(1, attacker, halfway);
        c.runUntil(120 * S);
        assertAliveEverywhere(c, "after SUSPECT(x, 2^30 + 7)");
        c.inject(0, attacker, lie);
        c.inject(1, attacker, lie);
        c.runUntil(180 * S);
        assertAliveEverywhere(c, "after SUSPECT(x, 2^30 + 7), then SUSPECT(x, 2^31 - 1)");
        assertTrue(c.nodes[X].incarnation() >= 0 && c.nodes[X].incarnation() < (1 << 30),
                "wrapped around, and stays 31-bit: " + c.nodes[X].incarnation());
    }

    @org.junit.jupiter.api.Test
    void aNegativeIncarnationIsMalformedDroppedAndCounted() {
        HandWired c = new HandWired(3, PulseConfig.lan(), 3);
        c.runUntil(2 * S);
        Identifier attacker = HandWired.id(66);
        c.inject(0, attacker, forged(attacker, (byte) 's', -5, c.ids[X]));
        assertEquals(1, c.nodes[0].counter("dropped.badIncarnation"));
        assertEquals(State.ALIVE, c.nodes[0].stateOf(c.ids[X]).orElseThrow());
    }

    @ParameterizedTest(name = "directMonitorThreshold {0}")
    @ValueSource(ints = {0, 100})
    void aForgedVerdictAndAnAliveAtAnyIncarnationAreRefuted(int threshold) {
        PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(threshold).build();
        HandWired c = new HandWired(3, config, 11);
        c.runUntil(5 * S);
        Identifier attacker = HandWired.id(66);
        // a stale-looking ALIVE far ahead, then the verdict just past it, then a suspicion half the circle away
        c.inject(0, attacker, forged(attacker, (byte) 'a', Integer.MAX_VALUE - 1, c.ids[X]));
        c.inject(1, attacker, forged(attacker, (byte) 'd', Integer.MAX_VALUE, c.ids[X]));
        c.runUntil(60 * S);
        assertAliveEverywhere(c, "after ALIVE(x, 2^31 - 2) and DEAD(x, 2^31 - 1)");
        int own = (int) c.nodes[X].incarnation();
        c.inject(0, attacker, forged(attacker, (byte) 's', own + (1 << 30), c.ids[X]));
        c.inject(1, attacker, forged(attacker, (byte) 's', own + (1 << 30) - 1, c.ids[X]));
        c.runUntil(180 * S);
        assertAliveEverywhere(c, "after suspicions half the incarnation space ahead");
    }
}
