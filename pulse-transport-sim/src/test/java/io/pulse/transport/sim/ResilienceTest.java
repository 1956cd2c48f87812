package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failure modes that hurt memberlist's users in the field, each replayed in simulation. */
class ResilienceTest {

    private static final long S = 1_000_000_000L;

    private static PulseConfig swim() {
        return PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
    }

    @Test
    void aJoinRetriesWithBackoffUntilASeedAnswers() {
        Simulation sim = Simulation.builder().nodes(2).config(swim()).seed(1).build();
        sim.crash(0, 0); // the seed is down when node 1 starts
        sim.restart(1, 0, 0); // node 1 starts fresh and joins through node 0
        sim.restart(0, 20 * S, 0); // the seed comes up 20 s later, knowing nobody
        sim.runUntil(19 * S);
        assertEquals(1, sim.node(1).runningMembers(), "alone while the seed is down");
        long attempts = sim.sentDatagrams(1);
        assertTrue(attempts >= 5 && attempts <= 12, "retried with exponential backoff, not a flood: " + attempts);
        sim.runUntil(45 * S);
        assertEquals(2, sim.node(1).runningMembers(), "joined once the seed answered");
        assertEquals(2, sim.node(0).runningMembers());
    }

    @Test
    void aMassRestartLeavesNobodyStuckDead() {
        // memberlist's users saw members stuck DEAD after mass restarts (incarnation races); here half the
        // cluster crashes, is declared dead, and restarts at once through one surviving seed
        int n = 40;
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(n).config(swim()).seed(12).build().listen(rec).startAll();
        for (int i = n / 2; i < n; i++) {
            sim.crash(i, 5 * S);
        }
        sim.runUntil(90 * S);
        for (int i = n / 2; i < n; i++) {
            assertEquals(State.DEAD, sim.node(0).stateOf(sim.id(i)).orElseThrow(), "node " + i + " declared dead");
        }
        for (int i = n / 2; i < n; i++) {
            sim.restart(i, 100 * S, 0);
        }
        sim.runUntil(200 * S);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                assertEquals(State.ALIVE, sim.node(a).stateOf(sim.id(b)).orElseThrow(),
                        "node " + a + " sees " + b + "; replay: seed 12, n=40, crash 20..39 at 5s, restart at 100s");
            }
        }
    }

    @Test
    void leftMembersAreReapedSoStateDoesNotGrowForever() {
        PulseConfig config = swim().toBuilder().gossipToTheDead(java.time.Duration.ofSeconds(10))
                .deadMemberRetention(java.time.Duration.ofSeconds(60)).build();
        Simulation sim = Simulation.builder().nodes(10).config(config).seed(3).build().startAll();
        sim.leave(9, 5 * S);
        sim.crash(9, 6 * S);
        sim.runUntil(30 * S);
        assertEquals(State.LEFT, sim.node(0).stateOf(sim.id(9)).orElseThrow());
        sim.runUntil(150 * S);
        for (int i = 0; i < 9; i++) {
            assertTrue(sim.node(i).stateOf(sim.id(9)).isEmpty(), "node " + i + " forgot the member that left");
            assertEquals(9, sim.node(i).knownMembers());
        }
    }

    @Test
    void aFewSlowMembersDoNotStartASuspicionStorm() {
        // Lifeguard: a starved member (slow by 10x) should not drive healthy members to DEAD
        int n = 30;
        Recorder rec = new Recorder();
        Simulation sim = Simulation.builder().nodes(n).config(swim()).seed(21).build().listen(rec).startAll();
        sim.slow(4, 10.0, 10 * S, 120 * S);
        sim.slow(11, 10.0, 10 * S, 120 * S);
        sim.runUntil(200 * S);
        assertTrue(rec.ofType(MembershipEvent.Suspected.class).size() > 0,
                "the slow members are slow enough to be suspected (else this test shows nothing)");
        List<Recorder.Seen> failed = rec.ofType(MembershipEvent.Failed.class);
        for (Recorder.Seen f : failed) {
            Identifier who = f.event().member();
            assertTrue(who.equals(sim.id(4)) || who.equals(sim.id(11)),
                    "a healthy member was declared dead: " + who + " by node " + f.node());
        }
    }

    @Test
    void aPartitionLongerThanTheSuspicionTimeoutHealsThroughPushPullWithTheDead() {
        int n = 20;
        Simulation sim = Simulation.builder().nodes(n).config(swim()).seed(31).build().startAll();
        int[] groups = new int[n];
        for (int i = n / 2; i < n; i++) {
            groups[i] = 1;
        }
        sim.partition(groups, 10 * S, 60 * S);
        sim.runUntil(69 * S);
        assertEquals(State.DEAD, sim.node(0).stateOf(sim.id(n - 1)).orElseThrow(), "each side declared the other dead");
        // healed at 70 s; a push-pull round (30 s at this size) later, both sides have refuted and merged
        sim.runUntil(70 * S + 2 * 30 * S);
        for (int a = 0; a < n; a++) {
            assertEquals(n, sim.node(a).runningMembers(), "node " + a + "; replay: seed 31, n=20, halves cut 10s-70s");
        }
    }
}
