package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.FailureMessage;
import io.pulse.api.MembershipEvent;
import io.pulse.api.State;
import io.pulse.transport.udp.LoopbackCluster.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real engine over real UDP sockets on loopback: nodes join through the first one, converge, and detect a node
 * that was closed without leaving, each survivor reporting it exactly once. Over IPv4 ({@code 127.0.0.1}) and, where
 * the machine has it, IPv6 ({@code [::1]}).
 */
class UdpClusterTest {

    private LoopbackCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0} nodes over 127.0.0.1")
    @ValueSource(ints = {2, 3})
    void nodesFormAClusterAndDetectAClosedOne(int size) throws Exception {
        formAndDetect("127.0.0.1", size);
    }

    @Test
    void threeNodesOverIpv6LoopbackFormAClusterAndDetectAClosedOne() throws Exception {
        Assumptions.assumeTrue(UdpIpv6ContractTest.ipv6LoopbackWorks(),
                "skipped: this machine cannot bind a UDP socket to [::1] (no IPv6 loopback)");
        formAndDetect("[::1]", 3);
    }

    private void formAndDetect(String host, int size) throws Exception {
        cluster = new LoopbackCluster(host);
        List<Member> all = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            all.add(cluster.start());
        }
        Member first = all.get(0);
        for (Member m : all.subList(1, size)) {
            LoopbackCluster.join(m, first);
        }
        LoopbackCluster.awaitConverged("joined through " + first.id(), all);
        for (Member m : all) {
            assertEquals(m.id().isIpv6(), host.startsWith("["), m + " is bound to the family asked for");
        }

        Member closed = all.get(size - 1);
        List<Member> survivors = all.subList(0, size - 1);
        closed.node().close(); // no leave: to its peers this is a crash
        LoopbackCluster.await(closed + " is DEAD at every survivor",
                () -> survivors.stream().allMatch(s -> s.sees(closed.id(), State.DEAD)));

        for (Member s : survivors) {
            Optional<FailureMessage> fm = s.node().failures().poll(LoopbackCluster.DEADLINE);
            assertTrue(fm.isPresent(), s + " reports the failure");
            assertEquals(closed.id(), fm.get().id(), s + " reports the closed node");
            assertEquals(State.DEAD, fm.get().state(), s + " reports it dead");
            LoopbackCluster.await(s + " publishes Failed for " + closed.id(),
                    () -> s.eventsAbout(closed.id(), MembershipEvent.Failed.class) > 0);
        }
        if (size > 2) {
            // the survivors keep probing each other: let a few rounds pass, then nothing more may have been reported
            LoopbackCluster.awaitProgress("after the failure", survivors, "probesSent", 10);
        }
        for (Member s : survivors) {
            assertEquals(Optional.empty(), s.node().failures().poll(Duration.ofSeconds(1)),
                    s + " reports the closed node exactly once");
            assertEquals(1, s.eventsAbout(closed.id(), MembershipEvent.Failed.class),
                    s + " publishes Failed exactly once; events " + s.events());
            for (Member other : survivors) {
                assertTrue(s.sees(other.id(), State.ALIVE), s + " still holds " + other + " ALIVE");
            }
            assertEquals(0L, s.counter("loopErrors"), s + " loop errors");
        }
        LoopbackCluster.awaitConverged("the survivors", survivors);
    }
}
