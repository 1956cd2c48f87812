package io.pulse.transport.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A cluster formed by joins alone: every node starts empty within the first protocol period and joins through
 * node 0, the one seed. pulse aims for 2,000 such nodes to converge, every member seeing every other ALIVE, within
 * 30 virtual seconds (memberlist took about 95 s to bootstrap 2,000 processes).
 *
 * <p>The default run joins 300 nodes, a size that fits {@code mvn verify} on two cores;
 * {@code -Dpulse.sim.nightly=true} joins the full 2,000. The convergence time is printed, and asserted to be within
 * the 30 virtual seconds.
 */
class JoinConvergenceTest {

    private static final long S = 1_000_000_000L;
    private static final long CHECK_EVERY_NS = 100_000_000L;
    private static final long LIMIT_NS = 30 * S;
    private static final boolean NIGHTLY = Boolean.getBoolean("pulse.sim.nightly");

    @Test
    void nodesJoiningThroughOneSeedConvergeWithinThirtyVirtualSeconds() {
        int n = Integer.getInteger("pulse.sim.joinNodes", NIGHTLY ? 2_000 : 300);
        long seed = Long.getLong("pulse.sim.joinSeed", 1L);
        long wallStart = System.nanoTime();
        Simulation sim = Simulation.builder().nodes(n).config(PulseConfig.lan()).seed(seed).build().joinAll(1);
        OptionalLong converged = convergence(sim, LIMIT_NS);
        System.out.printf("JoinConvergenceTest: %,d nodes through 1 seed, LAN preset, seed %d: %s (%,d events, "
                        + "%.1f wall s)%n", n, seed,
                converged.isPresent() ? String.format("converged at %.1f virtual s", converged.getAsLong() / 1e9)
                        : "not converged within " + LIMIT_NS / S + " virtual s",
                sim.events(), (System.nanoTime() - wallStart) / 1e9);
        assertTrue(converged.isPresent(), () -> n + " nodes did not converge within 30 virtual s (seed " + seed
                + "; replay: Simulation.builder().nodes(" + n + ").config(PulseConfig.lan()).seed(" + seed
                + ").build().joinAll(1))");
    }

    /**
     * The virtual time, checked every 100 ms, at which every node sees every node ALIVE; empty if not by
     * {@code limitNs}.
     */
    static OptionalLong convergence(Simulation sim, long limitNs) {
        int n = sim.size();
        for (long t = CHECK_EVERY_NS; t <= limitNs; t += CHECK_EVERY_NS) {
            sim.runUntil(t);
            if (t % S == 0) {
                progress(sim, t);
            }
            if (everyoneRunning(sim, n) && everyoneAlive(sim, n)) {
                return OptionalLong.of(t);
            }
        }
        return OptionalLong.empty();
    }

    /** Cheap first test: every node counts n members running (ALIVE or SUSPECT). */
    private static boolean everyoneRunning(Simulation sim, int n) {
        for (int i = 0; i < n; i++) {
            if (sim.node(i).runningMembers() != n) {
                return false;
            }
        }
        return true;
    }

    private static boolean everyoneAlive(Simulation sim, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (sim.node(i).stateOf(sim.id(j)).orElse(State.DEAD) != State.ALIVE) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One line a virtual second while verbose: how far the slowest node is. */
    private static void progress(Simulation sim, long t) {
        if (!Boolean.getBoolean("pulse.sim.joinVerbose")) {
            return;
        }
        int n = sim.size();
        int min = Integer.MAX_VALUE;
        int complete = 0;
        long sent = 0;
        for (int i = 0; i < n; i++) {
            int running = sim.node(i).runningMembers();
            min = Math.min(min, running);
            complete += running == n ? 1 : 0;
            sent += sim.sentDatagrams(i);
        }
        System.out.printf("  %3d s: slowest node knows %,d of %,d; %,d nodes know all; %,d datagrams, %,d lost%n",
                t / S, min, n, complete, sent, sim.lost());
    }
}
