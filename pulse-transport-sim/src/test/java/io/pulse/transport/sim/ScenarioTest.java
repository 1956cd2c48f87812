package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.FailureMessage;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.engine.Role;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The protocol's behaviours, each shown in a deterministic simulation. */
class ScenarioTest {

    private static final long S = 1_000_000_000L;

    private static PulseConfig swim() {
        return PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
    }

    @Test
    void aCrashIsDetectedByEveryLiveMember() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(20).config(swim()).seed(7).build().listen(rec).startAll();
        sim.crash(5, 10 * S);
        sim.runUntil(90 * S);
        for (int i : sim.live()) {
            assertEquals(State.DEAD, sim.node(i).stateOf(sim.id(5)).orElseThrow(), "node " + i);
        }
        assertEquals(19, rec.of(MembershipEvent.Failed.class, sim.id(5)).size(), "once per survivor");
        assertEquals(19, rec.ofType(MembershipEvent.Failed.class).size(), "no false positives");
    }

    @Test
    void aLossyClusterRaisesNoFalseAlarmOverALongTime() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(30).config(swim()).seed(3)
                .network(Simulation.Network.lan().withLoss(0.05)).build().listen(rec).startAll();
        sim.runUntil(1800 * S);
        assertEquals(List.of(), rec.ofType(MembershipEvent.Failed.class));
        for (int i = 0; i < sim.size(); i++) {
            assertEquals(30, sim.node(i).runningMembers(), "node " + i + " sees everyone");
        }
    }

    @Test
    void aQuietClusterSendsAboutTwoMessagesPerMemberPerPeriod() {
        Simulation sim = Simulation.builder().nodes(30).config(swim()).seed(3).build().startAll();
        sim.runUntil(600 * S);
        // SWIM: a ping and an ack per member per period, plus a push-pull every 30 s
        double perMemberPerPeriod = IntStream.range(0, 30).mapToLong(sim::sentDatagrams).sum() / 30.0 / 600.0;
        assertTrue(perMemberPerPeriod > 1.9 && perMemberPerPeriod < 2.5,
                "messages per member per period: " + perMemberPerPeriod);
    }

    @Test
    void aSuspectedButLiveMemberRefutes() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(10).config(swim()).seed(11).build().listen(rec).startAll();
        long before = 0;
        sim.runUntil(5 * S);
        before = sim.node(0).incarnationOf(sim.id(4));
        // a 3-second pause: long enough to be suspected, far shorter than the suspicion timeout (>= 4 s at n=10)
        sim.pause(4, 6 * S, 3 * S);
        sim.runUntil(60 * S);
        assertFalse(rec.of(MembershipEvent.Suspected.class, sim.id(4)).isEmpty(), "it was suspected");
        assertEquals(List.of(), rec.ofType(MembershipEvent.Failed.class), "never declared dead");
        for (int i = 0; i < sim.size(); i++) {
            assertEquals(State.ALIVE, sim.node(i).stateOf(sim.id(4)).orElseThrow(), "node " + i);
            if (i != 4) {
                assertTrue(sim.node(i).incarnationOf(sim.id(4)) > before, "refuted with a higher incarnation");
            }
        }
        assertTrue(sim.node(4).counter("refutations") >= 1);
    }

    @Test
    void aGracefulLeaveIsLeftEverywhereAndNeverAFailure() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(15).config(swim()).seed(5).build().listen(rec).startAll();
        sim.leave(3, 10 * S);
        sim.crash(3, 11 * S); // the process exits after leaving
        sim.runUntil(80 * S);
        for (int i : sim.live()) {
            assertEquals(State.LEFT, sim.node(i).stateOf(sim.id(3)).orElseThrow(), "node " + i);
        }
        assertEquals(List.of(), rec.ofType(MembershipEvent.Failed.class));
        assertEquals(14, rec.of(MembershipEvent.Left.class, sim.id(3)).size());
    }

    @Test
    void aRestartedMemberRejoinsWithAHigherIncarnation() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(12).config(swim()).seed(9).build().listen(rec).startAll();
        sim.crash(7, 5 * S);
        sim.runUntil(80 * S);
        long deadAt = sim.node(0).incarnationOf(sim.id(7));
        assertEquals(State.DEAD, sim.node(0).stateOf(sim.id(7)).orElseThrow());
        sim.restart(7, 90 * S, 0);
        sim.runUntil(150 * S);
        for (int i = 0; i < sim.size(); i++) {
            assertEquals(State.ALIVE, sim.node(i).stateOf(sim.id(7)).orElseThrow(), "node " + i);
            assertTrue(sim.node(i).incarnationOf(sim.id(7)) > deadAt, "node " + i);
        }
        assertEquals(12, sim.node(7).runningMembers(), "the restarted node learned everyone back");
    }

    @Test
    void nodesJoiningThroughOneSeedConverge() {
        Simulation sim = Simulation.builder().nodes(50).config(swim()).seed(2).build().joinAll(1);
        sim.runUntil(20 * S);
        for (int i = 0; i < sim.size(); i++) {
            assertEquals(50, sim.node(i).runningMembers(), "node " + i);
        }
    }

    @Test
    void aCoordinatorDeclaresASilentPulserDeadAfterItsRetriesAndThreeIndirectPulses() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(6).seed(4).role(Role.PULSER).role(0, Role.COORDINATOR)
                .build().listen(rec).startAll();
        sim.addPulsers(List.of(0), List.of(1, 2, 3, 4, 5), 3, Duration.ofSeconds(2));
        sim.runUntil(10 * S);
        for (int p = 1; p <= 5; p++) {
            assertEquals(State.ALIVE, sim.node(0).stateOf(sim.id(p)).orElseThrow(), "first contact made");
        }
        sim.crash(2, 20 * S);
        sim.runUntil(40 * S);
        List<Recorder.Seen> failed = rec.of(MembershipEvent.Failed.class, sim.id(2));
        assertEquals(1, failed.size());
        FailureMessage fm = ((MembershipEvent.Failed) failed.get(0).event()).failure();
        assertEquals(3, fm.retryAttempts(), "maxRetry direct retries");
        assertEquals(3, fm.gossipPulse().size(), "PickThree");
        assertFalse(fm.gossipPulse().contains(sim.id(2)));
        assertTrue(fm.lastContact().isPresent() && fm.firstContact().isPresent());
        // detected within one delay, the retries spaced by at most the probe timeout, and the indirect wait
        long detectedAfter = failed.get(0).atNs() - 20 * S;
        assertTrue(detectedAfter <= 2 * S + 4 * 500_000_000L, "detected after " + detectedAfter + " ns");
        assertEquals(1, rec.ofType(MembershipEvent.Failed.class).size(), "no other failure");
    }

    @Test
    void aPulserThatStopsRespondingIsDeclaredDeadAndComesBackWhenItResumes() {
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(3).seed(8).role(Role.PULSER).role(0, Role.COORDINATOR)
                .build().listen(rec).startAll();
        sim.addPulsers(List.of(0), List.of(1, 2), 1, Duration.ofMillis(500));
        sim.at(5 * S, () -> sim.node(1).setResponding(false));
        sim.runUntil(15 * S);
        assertEquals(State.DEAD, sim.node(0).stateOf(sim.id(1)).orElseThrow());
        assertEquals(State.ALIVE, sim.node(0).stateOf(sim.id(2)).orElseThrow());
        sim.at(16 * S, () -> sim.node(1).setResponding(true));
        sim.runUntil(20 * S);
        assertEquals(State.ALIVE, sim.node(0).stateOf(sim.id(1)).orElseThrow());
    }

    @Test
    void hybridModeMonitorsEveryMemberDirectlyBelowTheThresholdOnly() {
        PulseConfig hybrid = PulseConfig.lan().toBuilder().directMonitorThreshold(8).build();
        Simulation small = Simulation.builder().nodes(8).config(hybrid).seed(1).build().startAll();
        small.runUntil(30 * S);
        // every node pulses the 7 others each second
        double smallRate = small.node(0).counter("probesSent") / 30.0;
        assertTrue(smallRate > 6 && smallRate < 8.5, "probes per second below the threshold: " + smallRate);

        Simulation large = Simulation.builder().nodes(9).config(hybrid).seed(1).build().startAll();
        large.runUntil(30 * S);
        double largeRate = large.node(0).counter("probesSent") / 30.0;
        assertTrue(largeRate < 1.2, "SWIM's one probe per period above it: " + largeRate);

        Recorder rec = new Recorder();
        Simulation crash = Simulation.builder().nodes(8).config(hybrid).seed(1).build().listen(rec).startAll();
        crash.crash(3, 10 * S);
        crash.runUntil(60 * S);
        assertEquals(7, rec.of(MembershipEvent.Failed.class, crash.id(3)).size());
        assertEquals(7, rec.ofType(MembershipEvent.Failed.class).size());
    }

    @Test
    void sameSeedSameDigest() {
        long a = runDigest(42);
        long b = runDigest(42);
        long c = runDigest(43);
        assertEquals(a, b);
        assertTrue(a != c, "a different seed gives a different run");
    }

    private static long runDigest(long seed) {
        Simulation sim = Simulation.builder().nodes(25).config(swim()).seed(seed)
                .network(Simulation.Network.lan().withLatency(new Latency.Uniform(100_000, 3_000_000)).withLoss(0.05))
                .build().startAll();
        sim.crash(3, 5 * S);
        sim.pause(8, 7 * S, 2 * S);
        sim.runUntil(40 * S);
        return sim.digest();
    }
}
