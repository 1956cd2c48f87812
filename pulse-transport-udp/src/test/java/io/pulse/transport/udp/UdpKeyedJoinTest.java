package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pulse.api.MembershipEvent;
import io.pulse.transport.udp.LoopbackCluster.Member;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node that lacks the cluster's key, or holds a wrong one, cannot join a keyed cluster: the keyed nodes drop
 * every datagram it sends, before the engine sees it, and count each under the reason (plaintext refused, or a key
 * they do not hold). The join keeps retrying and never completes; nobody learns of the outsider.
 */
class UdpKeyedJoinTest {

    private static final byte[] KEY = Keys.key(32, 3003);
    private static final byte[] WRONG = Keys.key(32, 4004);

    private LoopbackCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodeWithoutTheKeyCannotJoin() throws Exception {
        outsiderIsRefused(t -> t, "transport.dropped.plaintextRefused");
    }

    @Test
    void aNodeWithAWrongKeyCannotJoin() throws Exception {
        // the key id names the key, so a wrong key is an unknown one; failedToOpen needs a forged id (GarbageTest, and UdpGarbageClusterTest)
        outsiderIsRefused(t -> t.keyring(Keyring.of(WRONG)), "transport.dropped.unknownKey");
    }

    private void outsiderIsRefused(UnaryOperator<UdpTransport.Builder> outsiderTransport, String refusedAs)
            throws Exception {
        cluster = new LoopbackCluster("127.0.0.1");
        Member a = cluster.start(t -> t.keyring(Keyring.of(KEY)));
        Member b = cluster.start(t -> t.keyring(Keyring.of(KEY)));
        List<Member> keyed = List.of(a, b);
        LoopbackCluster.join(b, a);
        LoopbackCluster.awaitConverged("the keyed cluster", keyed);

        Member outsider = cluster.start(outsiderTransport);
        long[] refusedBefore = {a.counter(refusedAs), b.counter(refusedAs)};
        CompletableFuture<Integer> join = outsider.node().join(List.of(a.id(), b.id())).toCompletableFuture();
        // a lone joiner sends each seed one datagram per attempt, retried with backoff: wait for three at each
        LoopbackCluster.await("both seeds refuse three of the outsider's join attempts",
                () -> a.counter(refusedAs) - refusedBefore[0] >= 3 && b.counter(refusedAs) - refusedBefore[1] >= 3);

        assertFalse(join.isDone(), "the outsider's join completed: " + join);
        assertEquals(List.of(outsider.id()), outsider.node().members(), "the outsider knows only itself");
        assertEquals(0L, outsider.counter("transport.datagramsDelivered"),
                "nothing reached the outsider's engine: the keyed nodes never answered");
        for (Member m : keyed) {
            assertFalse(m.node().status(outsider.id()).isPresent(), m + " learned of the outsider");
            assertEquals(0L, m.eventsAbout(outsider.id(), MembershipEvent.Joined.class), m + " Joined events");
            for (String other : List.of("transport.dropped.plaintextRefused", "transport.dropped.unknownKey",
                    "transport.dropped.failedToOpen", "transport.dropped.sealedWithoutKey")) {
                if (!other.equals(refusedAs)) {
                    assertEquals(0L, m.counter(other), m + ": " + other + "; "
                            + LoopbackCluster.counters(m, "transport.dropped."));
                }
            }
        }
        for (Member m : keyed) {
            m.node().counters().forEach((name, value) -> {
                if (name.startsWith("dropped.")) {
                    assertEquals(0L, value, m + "'s engine dropped " + name + ": the outsider's datagrams reached it");
                }
            });
        }
        LoopbackCluster.awaitConverged("the keyed cluster, unchanged", keyed);
    }
}
