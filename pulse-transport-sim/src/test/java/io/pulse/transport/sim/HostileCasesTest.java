package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the hostile-member property ({@link HostileMemberPropertyTest}) shrinks to, written out as single hostile
 * datagrams at a small cluster: each names the rule it guards. The peer sends from {@link HostileMemberPropertyTest#HOSTILE},
 * an address outside the cluster, on a loss-free LAN, SWIM alone, so that every failure is the lie's doing.
 *
 * <p>All but the two about garbage and about a forged leave below the top failed at {@code b041f5b}: the lies at
 * the top incarnation until incarnations became serial numbers (#12 item 7), the flood and the state request until
 * the member table was bounded and answers went to the datagram's source (item 9).
 */
class HostileCasesTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final int N = 5;
    private static final int TOP = Integer.MAX_VALUE;
    private static final Identifier HOSTILE = HostileMemberPropertyTest.HOSTILE;

    private static Simulation cluster(int n) {
        PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(0)
                .maxMembers(HostileMemberPropertyTest.memberBound(n)).build();
        return Simulation.builder().nodes(n).config(config).seed(12).network(Simulation.Network.lan()).build()
                .startAll();
    }

    private static WireFrames from(Identifier sender) {
        return new WireFrames(PulseConfig.lan().maxDatagramBytes()).begin(sender);
    }

    private static Identifier member(int i) {
        return Simulation.addressOf(i);
    }

    /** Runs past the quiet period and lists every member that does not hold {@code member} ALIVE. */
    private static List<String> notAlive(Simulation sim, int member) {
        sim.runFor(java.time.Duration.ofNanos(HostileMemberPropertyTest.quietNs(sim.size(), sim.config())));
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < sim.size(); i++) {
            State s = sim.node(i).stateOf(sim.id(member)).orElse(null);
            if (i != member && s != State.ALIVE) {
                wrong.add("member " + i + " holds " + member + " " + s + " at "
                        + sim.node(i).incarnationOf(sim.id(member)));
            }
        }
        if (sim.node(member).incarnation() < 0) {
            wrong.add("member " + member + "'s own incarnation went negative: " + sim.node(member).incarnation());
        }
        return wrong;
    }

    // ------------------------------------------------------------------- lies at the top incarnation (item 7)

    @Test
    void aSuspicionAtTheTopIncarnationLocksNoMemberOut() {
        Simulation sim = cluster(N);
        sim.inject(5 * S, HOSTILE, 0, from(HOSTILE).suspect(TOP, member(1), HOSTILE).finish());
        assertEquals(List.of(), notAlive(sim, 1));
    }

    @Test
    void aForgedDeathAtTheTopIncarnationLocksNoMemberOut() {
        Simulation sim = cluster(N);
        sim.inject(5 * S, HOSTILE, 0, from(member(2)).dead(TOP, member(1), member(2)).finish());
        assertEquals(List.of(), notAlive(sim, 1));
    }

    @Test
    void anAliveAboutAMemberAtTheTopIncarnationNeverMakesItsOwnNegative() {
        Simulation sim = cluster(N);
        sim.inject(5 * S, HOSTILE, 1, from(member(2)).alive(TOP, member(1), new byte[0]).finish());
        sim.runUntil(6 * S);
        assertTrue(sim.node(1).incarnation() >= 0, "member 1's incarnation went negative: " + sim.node(1).incarnation()
                + " (a peer's push-pull brought it back above 0 later, by chance)");
        assertEquals(List.of(), notAlive(sim, 1));
    }

    /**
     * The hard case: without a keyring a LEFT in a member's name is indistinguishable from its own. What the
     * property may promise is the end state: the member hears it and refutes one past 2^31 − 1, at 0, which every
     * holder takes as newer, so it is ALIVE everywhere once the cluster is quiet; meanwhile members publish
     * {@code Left}, then {@code Joined} (see the next test).
     */
    @Test
    void aForgedLeaveAtTheTopIncarnationLocksNoMemberOut() {
        Simulation sim = cluster(N);
        sim.inject(5 * S, HOSTILE, 0, from(HOSTILE).left(TOP, member(1)).finish());
        assertEquals(List.of(), notAlive(sim, 1));
    }

    @Test
    void aForgedLeaveBelowTheTopIsRefutedAndTheMemberEndsAliveEverywhere() {
        Simulation sim = cluster(N);
        List<String> left = new ArrayList<>();
        sim.listen((node, at, e) -> {
            if (e instanceof io.pulse.api.MembershipEvent.Left l && l.member().equals(member(1))) {
                left.add("member " + node);
            }
        });
        sim.inject(5 * S, HOSTILE, 0, from(member(3)).left(7, member(1)).finish());
        sim.runUntil(6 * S);
        assertTrue(left.contains("member 0"), "the lie is believed for a while: " + left);
        assertEquals(List.of(), notAlive(sim, 1));
        assertTrue(sim.node(1).incarnation() > 7, "refuted above the lie: " + sim.node(1).incarnation());
    }

    // ------------------------------------------------------------------- admission (item 9)

    @Test
    void aFloodOfInventedMembersStaysWithinTheMemberBound() {
        Simulation sim = cluster(N);
        int k = 0;
        for (int f = 0; f < 10; f++) {
            WireFrames w = from(HOSTILE);
            while (WireFrames.aliveBytes(HostileMemberPropertyTest.invented(k), 0) <= w.remaining()) {
                w.alive(1, HostileMemberPropertyTest.invented(k++), new byte[0]);
            }
            sim.inject(5 * S + f * 100 * MS, HOSTILE, f % N, w.finish());
        }
        int bound = HostileMemberPropertyTest.memberBound(N);
        int worst = 0;
        for (int t = 0; t < 60; t++) {
            sim.runFor(java.time.Duration.ofSeconds(1));
            for (int i = 0; i < N; i++) {
                worst = Math.max(worst, sim.node(i).knownMembers());
            }
        }
        assertTrue(worst <= bound, "a table held " + worst + " members (" + k + " invented), above " + bound);
    }

    @Test
    void aStateRequestIsAnsweredToTheDatagramsSourceNotToTheIdentityItClaims() {
        Simulation sim = cluster(N);
        sim.runUntil(5 * S);
        long pushPullsAt3 = sim.node(3).counter("pushPulls");
        long outside = sim.outsideDatagrams();
        sim.inject(5 * S, HOSTILE, 1, from(member(3)).pushPull(WireFrames.PP_REPLY_WANTED, 77, 0, 1).finish());
        sim.runUntil(5 * S + 50 * MS);
        assertEquals(pushPullsAt3, sim.node(3).counter("pushPulls"), "member 3 was sent a state it never asked for");
        assertTrue(sim.outsideDatagrams() > outside, "the answer went to the datagram's source");
    }

    // ------------------------------------------------------------------- garbage

    @Test
    void garbageOfEveryKindIsDroppedAndCountedOnceByReason() {
        Simulation sim = cluster(N);
        byte[] random = new byte[200];
        new java.util.SplittableRandom(3).nextBytes(random);
        ByteBuffer good = from(HOSTILE).suspect(3, member(2), HOSTILE).finish();
        byte[] flipped = good.array().clone();
        flipped[20] ^= 0x10;
        int senderEnd = WireFrames.HEADER_BYTES + 7;
        List<ByteBuffer> garbage = List.of(
                ByteBuffer.wrap(new byte[0]),
                ByteBuffer.wrap(random),
                ByteBuffer.wrap(good.array(), 0, good.remaining() - 1).slice(),
                ByteBuffer.wrap(flipped),
                WireFrames.patch(good, 7, (byte) 2),
                WireFrames.patch(good, 8, (byte) 1),
                WireFrames.patch(good, 8, (byte) 4),
                WireFrames.patch(good, WireFrames.HEADER_BYTES, (byte) 5),
                WireFrames.patch(good, senderEnd + WireFrames.MESSAGE_HEADER_BYTES + 4, (byte) 9),
                from(HOSTILE).raw((byte) 0x7f, 0, new byte[0]).finish(),
                from(HOSTILE).raw(WireFrames.ACK, 5, new byte[5]).finish(),
                from(HOSTILE).raw(WireFrames.ALIVE, 1000, new byte[4]).finish(),
                from(HOSTILE).alive(1, member(2), new byte[PulseConfig.lan().metadataMaxBytes() + 1]).finish(),
                from(HOSTILE).ack(1).suspect(-5, member(2), HOSTILE).finish());
        for (int i = 0; i < garbage.size(); i++) {
            sim.inject(5 * S + i * MS, HOSTILE, 0, garbage.get(i));
        }
        sim.runUntil(6 * S);
        Map<String, Long> c = sim.node(0).counters();
        long drops = c.entrySet().stream().filter(e -> e.getKey().startsWith("dropped."))
                .mapToLong(Map.Entry::getValue).sum();
        assertEquals(garbage.size(), drops, c.toString());
        for (String reason : List.of("truncated", "badMagic", "badVersion", "sealed", "badFlags", "badChecksum",
                "badIdentity", "unknownType", "badLength", "oversizedMetadata", "badIncarnation")) {
            assertTrue(c.get("dropped." + reason) > 0, reason + " never counted: " + c);
        }
        assertEquals(State.ALIVE, sim.node(0).stateOf(member(2)).orElseThrow(), "nothing in garbage was acted on");
    }
}
