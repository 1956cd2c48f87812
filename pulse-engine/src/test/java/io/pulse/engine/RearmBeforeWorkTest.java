package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A timer handler that throws (a bug, or a transport whose send throws) must not stop periodic work for good: each
 * periodic timer is armed again whatever its work does. The protocol is driven by hand, as a driver would drive it:
 * every exception out of {@link ProtocolNode#onTimers} is caught, and the next deadline is polled again.
 */
class RearmBeforeWorkTest {

    private static final long S = 1_000_000_000L;
    private static final Identifier SELF = Identifier.parse("10.2.0.1:7946");
    private static final Identifier OTHER = Identifier.parse("10.2.0.2:7946");

    /** Captured effects; the first {@code sendFailures} sends and the first Suspected event throw. */
    private static final class Captured implements Effects {
        int sendFailures;
        boolean failSuspected;
        int sendsAttempted;
        int thrown;

        @Override
        public void send(Identifier to, ByteBuffer frame) {
            sendsAttempted++;
            if (sendFailures > 0) {
                sendFailures--;
                thrown++;
                throw new IllegalStateException("test: the transport refused to send");
            }
        }

        @Override
        public void publish(MembershipEvent event) {
            if (failSuspected && event instanceof MembershipEvent.Suspected) {
                failSuspected = false;
                thrown++;
                throw new IllegalStateException("test: a subscriber hand-off failed");
            }
        }
    }

    private static ProtocolNode node(Role role, Captured effects) {
        PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
        return new ProtocolNode(SELF, config, role, new SplittableRandom(1), effects,
                Instant.parse("2026-01-01T00:00:00Z"), 1400, Interner.NONE);
    }

    /** Fires timers until {@code untilNs}, as a driver does: an exception is caught and the deadline polled again. */
    private static void runTimers(ProtocolNode node, long fromNs, long untilNs) {
        long now = fromNs;
        while (true) {
            long next = node.nextDeadlineNs();
            if (next > untilNs) {
                return;
            }
            now = Math.max(now, next);
            try {
                node.onTimers(now);
            } catch (IllegalStateException expected) {
                // the driver counts and logs it; the protocol must go on
            }
        }
    }

    @Test
    void probingGoesOnAfterAProbeTickThrows() {
        Captured fx = new Captured();
        ProtocolNode a = node(Role.FULL, fx);
        a.start(0);
        a.bootstrap(0, List.of(OTHER)); // a member that never answers: its first missed probe suspects it
        fx.failSuspected = true;
        runTimers(a, 0, 3 * S);
        assertEquals(1, fx.thrown, "the suspicion's hand-off threw inside the probe tick");
        long probesBefore = a.counter("probesSent");
        runTimers(a, 3 * S, 6 * S);
        assertTrue(a.counter("probesSent") > probesBefore,
                "probing goes on after the tick threw: probesSent stayed " + probesBefore);
    }

    @Test
    void directMonitoringGoesOnAfterAMonitorPingThrows() {
        Captured fx = new Captured();
        ProtocolNode c = node(Role.COORDINATOR, fx);
        c.start(0);
        c.addPulser(0, OTHER, 2, Duration.ofSeconds(1).toNanos());
        fx.sendFailures = 1;
        runTimers(c, 0, 10 * S);
        assertEquals(1, fx.thrown, "the first pulse's send threw");
        assertTrue(fx.sendsAttempted > 3, "the monitor pulses on after a send threw: " + fx.sendsAttempted
                + " send(s) in 10 s");
    }

    @Test
    void joinRetriesGoOnAfterASendThrows() {
        Captured fx = new Captured();
        ProtocolNode a = node(Role.FULL, fx);
        a.start(0);
        fx.sendFailures = 1;
        try {
            a.join(0, List.of(OTHER));
        } catch (IllegalStateException expected) {
            // the first join request's send threw, inside the API call
        }
        runTimers(a, 0, 10 * S);
        assertEquals(1, fx.thrown);
        assertTrue(fx.sendsAttempted > 3, "the join is retried after a send threw: " + fx.sendsAttempted
                + " send(s) in 10 s");
    }

    @Test
    void aSuspicionsLastCheckThatThrowsStillEndsInAVerdict() {
        Captured fx = new Captured();
        ProtocolNode a = node(Role.FULL, fx);
        a.start(0);
        // four members that never answer: nobody confirms a suspicion, so each ends with a last check
        a.bootstrap(0, List.of(OTHER, Identifier.parse("10.2.0.3:7946"), Identifier.parse("10.2.0.4:7946"),
                Identifier.parse("10.2.0.5:7946")));
        long now = 0;
        while (a.stateOf(OTHER).orElseThrow() != io.pulse.api.State.SUSPECT) {
            now = a.nextDeadlineNs();
            a.onTimers(now);
        }
        fx.sendFailures = Integer.MAX_VALUE; // from now on every send throws, the last check's ping included
        runTimers(a, now, now + 120 * S);
        assertTrue(fx.thrown > 0, "sends threw");
        assertEquals(io.pulse.api.State.DEAD, a.stateOf(OTHER).orElseThrow(),
                "the suspicion ended in a verdict although its last check's ping threw");
    }
}
