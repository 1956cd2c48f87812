package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.MembershipEvent;
import io.pulse.api.Metadata;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A process restarted with the same address and new metadata publishes it at incarnation 1, which its peers may
 * already hold for the process before it. It must refute the old record when it hears it (an ALIVE about itself at
 * its own incarnation with other metadata), so that every member ends with the new metadata, however long the
 * process was away.
 */
class RestartWithNewMetadataTest {

    private static final long S = 1_000_000_000L;
    private static final Metadata V1 = Metadata.ofUtf8("version=1");
    private static final Metadata V2 = Metadata.ofUtf8("version=2");
    private static final int N = 8;
    private static final int R = 3;

    private static PulseConfig swim() {
        return PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
    }

    /** A cluster where node R has published V1 (incarnation 1) and everyone holds it. */
    private static Simulation clusterWithV1(Recorder rec, long seed) {
        Simulation sim = Simulation.builder().nodes(N).config(swim()).seed(seed).build().listen(rec).startAll();
        sim.at(S, () -> sim.node(R).updateMetadata(sim.nowNs(), V1));
        sim.runUntil(10 * S);
        for (int i = 0; i < N; i++) {
            assertEquals(V1, sim.node(i).status(sim.id(R)).orElseThrow().metadata(), "node " + i + " holds V1");
        }
        return sim;
    }

    private static void everyoneHoldsV2(Simulation sim, String replay) {
        for (int i = 0; i < N; i++) {
            assertEquals(State.ALIVE, sim.node(i).stateOf(sim.id(R)).orElseThrow(), "node " + i + "; " + replay);
            assertEquals(V2, sim.node(i).status(sim.id(R)).orElseThrow().metadata(),
                    "node " + i + " holds " + sim.node(i).status(sim.id(R)).orElseThrow().metadata().asUtf8()
                            + " at incarnation " + sim.node(i).incarnationOf(sim.id(R)) + "; " + replay);
        }
    }

    @Test
    void aMemberRestartedBeforeItWasMissedIsUpdatedEverywhere() {
        Recorder rec = new Recorder();
        Simulation sim = clusterWithV1(rec, 21);
        int before = rec.of(MembershipEvent.Updated.class, sim.id(R)).size();
        sim.crash(R, 10 * S);
        sim.restart(R, 10 * S + 200_000_000L, 0, V2); // back within a fifth of a period: nobody suspected it
        sim.runUntil(40 * S);
        everyoneHoldsV2(sim, "replay: seed 21, n=8, node 3 V1 at 1s, crash 10s, restart with V2 at 10.2s");
        assertTrue(sim.node(R).incarnation() >= 2, "refuted its old record: " + sim.node(R).incarnation());
        List<Recorder.Seen> updated = rec.of(MembershipEvent.Updated.class, sim.id(R));
        assertEquals(N - 1, updated.size() - before, "each peer published the new metadata once");
        for (Recorder.Seen s : updated.subList(before, updated.size())) {
            assertEquals(V2, ((MembershipEvent.Updated) s.event()).metadata());
        }
        assertEquals(List.of(), rec.ofType(MembershipEvent.Failed.class));
    }

    @Test
    void aMemberRestartedAfterItWasDeclaredDeadJoinsAgainWithItsNewMetadata() {
        Recorder rec = new Recorder();
        Simulation sim = clusterWithV1(rec, 22);
        sim.crash(R, 10 * S);
        sim.runUntil(70 * S);
        for (int i : sim.live()) {
            assertEquals(State.DEAD, sim.node(i).stateOf(sim.id(R)).orElseThrow(), "node " + i);
        }
        int joinedBefore = rec.of(MembershipEvent.Joined.class, sim.id(R)).size();
        sim.restart(R, 70 * S, 0, V2);
        sim.runUntil(100 * S);
        everyoneHoldsV2(sim, "replay: seed 22, n=8, node 3 V1 at 1s, crash 10s, restart with V2 at 70s");
        List<Recorder.Seen> joined = rec.of(MembershipEvent.Joined.class, sim.id(R));
        assertEquals(N - 1, joined.size() - joinedBefore, "each peer saw it join again");
        for (Recorder.Seen s : joined.subList(joinedBefore, joined.size())) {
            assertEquals(V2, ((MembershipEvent.Joined) s.event()).metadata(), "the rejoin carries the new metadata");
        }
        assertEquals(N - 1, rec.ofType(MembershipEvent.Failed.class).size(), "one failure per peer, not two");
        assertEquals(List.of(), rec.of(MembershipEvent.Suspected.class, sim.id(R)).stream()
                .filter(s -> s.atNs() >= 70 * S).toList(), "not suspected back from the dead");
    }
}
