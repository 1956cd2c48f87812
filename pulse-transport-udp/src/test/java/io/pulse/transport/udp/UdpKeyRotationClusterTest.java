package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.api.MembershipEvent;
import io.pulse.api.State;
import io.pulse.transport.udp.LoopbackCluster.Member;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling key rotation across three live nodes, as {@link Keyring} documents it: all seal with A; B installed as
 * an opening key on every node; B made primary on every node; A removed from every node. Each step is finished on
 * every node, and the cluster has gone on probing under it, before the next. At no point may any node suspect
 * another, or drop a datagram it could not open.
 */
class UdpKeyRotationClusterTest {

    private static final byte[] A = Keys.key(16, 1001);
    private static final byte[] B = Keys.key(32, 2002);

    private LoopbackCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void keysRotateAcrossALiveClusterWithoutASuspicion() throws Exception {
        cluster = new LoopbackCluster("127.0.0.1");
        Member a = cluster.start(t -> t.keyring(Keyring.of(A)));
        Member b = cluster.start(t -> t.keyring(Keyring.of(A)));
        Member c = cluster.start(t -> t.keyring(Keyring.of(A)));
        List<Member> all = List.of(a, b, c);
        LoopbackCluster.join(b, a);
        LoopbackCluster.join(c, a);
        LoopbackCluster.awaitConverged("sealed with A", all);
        settle("sealed with A", all);

        rotate("B installed", all, k -> k.withKey(B));
        rotate("B primary", all, k -> k.withPrimary(Keyring.keyId(B)));
        rotate("A removed", all, k -> k.withoutKey(Keyring.keyId(A)));

        for (Member m : all) {
            Keyring ring = m.transport().keyring().orElseThrow();
            assertEquals(Keyring.keyId(B), ring.primaryKeyId(), m + " seals with B");
            assertEquals(1, ring.size(), m + " holds B only");
            for (Member other : all) {
                assertEquals(true, m.sees(other.id(), State.ALIVE), m + " holds " + other + " ALIVE");
            }
        }
        // the rotation may never have cost a suspicion; a refutation would hide one, so look at the events
        List<MembershipEvent> suspicions = LoopbackCluster.events(all,
                e -> e instanceof MembershipEvent.Suspected || e instanceof MembershipEvent.Failed);
        assertEquals(List.of(), suspicions, "no node suspected another during the rotation (seed "
                + cluster.seed() + ")");
        for (Member m : all) {
            assertEquals(0L, m.counter("suspicions"), m + " started no suspicion");
        }
    }

    /** Applies one rotation step to every node, one after the other, then lets the cluster run under it. */
    private void rotate(String step, List<Member> all, UnaryOperator<Keyring> change) throws InterruptedException {
        for (Member m : all) {
            m.transport().updateKeyring(change);
            // the cluster keeps running with the step done on some nodes and not yet on others
            LoopbackCluster.awaitProgress(step + " on " + m, all, "transport.datagramsDelivered", 10);
            checkNothingRefused(step + " on " + m, all);
        }
        settle(step + " on every node", all);
    }

    /** Lets every node run several probe rounds, then checks the cluster is whole and nothing was refused. */
    private void settle(String step, List<Member> all) throws InterruptedException {
        LoopbackCluster.awaitProgress(step, all, "acksReceived", 10);
        LoopbackCluster.awaitConverged(step, all);
        checkNothingRefused(step, all);
    }

    private void checkNothingRefused(String step, List<Member> all) {
        for (Member m : all) {
            for (String counter : List.of("transport.dropped.failedToOpen", "transport.dropped.unknownKey",
                    "transport.dropped.plaintextRefused", "transport.dropped.sealedWithoutKey")) {
                assertEquals(0L, m.counter(counter), step + ": " + counter + " at " + m + "; "
                        + LoopbackCluster.counters(m, "transport.dropped."));
            }
            List<MembershipEvent> suspicions = LoopbackCluster.events(List.of(m),
                    e -> e instanceof MembershipEvent.Suspected);
            assertEquals(List.of(), suspicions, step + ": suspicions published by " + m);
        }
    }
}
