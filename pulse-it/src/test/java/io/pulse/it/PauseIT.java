package io.pulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member frozen with SIGSTOP and thawed with SIGCONT: a pause shorter than the suspicion timeout is survived (the
 * member refutes), a much longer one is a death followed by a comeback.
 */
class PauseIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();

    /**
     * Preset {@code wan}: probes every 5 s with a 3 s timeout and suspicion multiplier 6, so with four members a
     * suspicion lasts at least 6 × max(1, log10 4) × 5 s = 30 s before it can become a death (up to 6 times that
     * without confirmations). The member is thawed as soon as a peer suspects it (at most 25 s into the pause, so
     * the pause always ends well inside the 30 s). It must refute: ALIVE everywhere with a higher incarnation,
     * never DEAD.
     */
    @Test
    void shortPauseIsSuspectedAtMostAndRefuted() throws Exception {
        List<Agent> agents = cluster.start(4, "--preset", "wan");
        Agent sleeper = agents.get(3);
        List<Agent> others = Cluster.others(agents, sleeper);
        long before = 0;
        for (Agent o : others) {
            before = Math.max(before, Cluster.incarnation(Cluster.view(o, sleeper)));
        }
        long incBefore = before;

        sleeper.signal("STOP");
        long stoppedNs = System.nanoTime();
        try {
            Await.until("a peer suspects the stopped " + sleeper.name, Duration.ofSeconds(25), () -> {
                for (Agent o : others) {
                    Object state = Cluster.view(o, sleeper).get("state");
                    if (!"ALIVE".equals(state)) {
                        return null;
                    }
                }
                return "ALIVE everywhere";
            });
        } finally {
            sleeper.signal("CONT");
        }
        long pausedMs = (System.nanoTime() - stoppedNs) / 1_000_000;
        System.out.println("PauseIT: " + sleeper.name + " was stopped for " + pausedMs + " ms");

        Cluster.awaitEveryone(sleeper.name + " ALIVE with an incarnation above " + incBefore, others,
                List.of(sleeper), m -> "ALIVE".equals(m.get("state")) && Cluster.incarnation(m) > incBefore);
        Cluster.awaitConverged(agents);
        for (Agent o : others) {
            assertEquals(List.of(), o.events("dead", sleeper.id()), o.name + " declared the paused member dead");
            assertEquals(0.0, o.metric("pulse_deaths_total"), o.name + ": pulse_deaths_total");
        }
        assertTrue(sleeper.metric("pulse_refutations_total") >= 1, "the sleeper refuted: pulse_refutations_total");
    }

    /**
     * Preset {@code local}: the member stays stopped until every peer has declared it DEAD, then is thawed; it
     * must learn of its death, refute, and be ALIVE everywhere again with a higher incarnation.
     */
    @Test
    void longPauseIsDeathThenComeback() throws Exception {
        List<Agent> agents = cluster.start(4, "--preset", "local");
        Agent sleeper = agents.get(3);
        List<Agent> others = Cluster.others(agents, sleeper);

        sleeper.signal("STOP");
        long deadInc;
        try {
            Cluster.awaitEveryone(sleeper.name + " DEAD everywhere while stopped", others, List.of(sleeper),
                    m -> "DEAD".equals(m.get("state")));
            long max = 0;
            for (Agent o : others) {
                max = Math.max(max, Cluster.incarnation(Cluster.view(o, sleeper)));
            }
            deadInc = max;
        } finally {
            sleeper.signal("CONT");
        }

        Cluster.awaitEveryone(sleeper.name + " ALIVE again with an incarnation above " + deadInc, others,
                List.of(sleeper), m -> "ALIVE".equals(m.get("state")) && Cluster.incarnation(m) > deadInc);
        Cluster.awaitConverged(agents);
        Map<String, Object> health = sleeper.health();
        assertEquals("ALIVE", health.get("state"), "the sleeper's own view: " + health);
        for (Agent o : others) {
            assertEquals(1, o.events("dead", sleeper.id()).size(), o.name + ": 'dead' events for the sleeper");
        }
    }
}
