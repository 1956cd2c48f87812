package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every configurable value fits the structures that hold it: the largest settings work as the smallest do. */
class ConfigFitsStructuresTest {

    private static final long S = 1_000_000_000L;

    private static final class Capture implements Effects {
        final List<Identifier> sentTo = new ArrayList<>();

        @Override
        public void send(Identifier to, ByteBuffer frame) {
            sentTo.add(to);
        }

        @Override
        public void publish(MembershipEvent event) {
        }
    }

    private static ProtocolNode node(PulseConfig config, int members, Capture effects) {
        ProtocolNode n = new ProtocolNode(HandWired.id(1), config, Role.FULL, new SplittableRandom(3), effects,
                Instant.EPOCH, 1400, Interner.NONE);
        List<Identifier> known = new ArrayList<>();
        for (int i = 1; i <= members; i++) {
            known.add(Identifier.of(new byte[] {10, 0, (byte) (i >>> 8), (byte) i}, 7946));
        }
        n.bootstrap(0, known);
        n.start(0);
        return n;
    }

    private static void runTimers(ProtocolNode n, long untilNs) {
        for (long t = n.nextDeadlineNs(); t <= untilNs; t = n.nextDeadlineNs()) {
            n.onTimers(t);
        }
    }

    @Test
    void anUpdateIsRetransmittedUpToTheLargestLimitAndLeaveDrains() {
        // multiplier 43 at 120 members: 43 x ceil(log10 121) = 129 transmissions, more than a byte counts
        PulseConfig config = PulseConfig.lan().toBuilder().retransmitMultiplier(43).directMonitorThreshold(0).build();
        Capture effects = new Capture();
        ProtocolNode n = node(config, 120, effects);
        n.leave(0); // at once: the peers are invented, and a probe of one would add a suspicion to the queue
        assertEquals(1, n.counter("pendingBroadcasts"), "the LEFT is pending");
        runTimers(n, 120 * S);
        assertEquals(0, n.counter("pendingBroadcasts"), "every transmission of the LEFT went out; leave() need not wait");
        assertEquals(129, n.counter("updatesSent"), "the LEFT went out exactly 129 times");
    }

    @Test
    void aFrameTooSmallForTheLargestMetadataIsRefusedAtConstruction() {
        // a frame must hold a state-transfer chunk of one ALIVE with the largest metadata, from an IPv6 sender
        PulseConfig config = PulseConfig.lan().toBuilder().metadataMaxBytes(1024).build();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ProtocolNode(HandWired.id(1), config, Role.FULL, new SplittableRandom(3), new Capture(),
                        Instant.EPOCH, 1024, Interner.NONE));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("metadataMaxBytes"), e.getMessage());
    }

    @Test
    void theLargestFanoutIsTheFanoutUsed() {
        // (a high multiplier, so that the update outlasts the sends this test counts)
        PulseConfig config = PulseConfig.lan().toBuilder().gossipFanout(64).retransmitMultiplier(100)
                .directMonitorThreshold(0).build();
        Capture effects = new Capture();
        ProtocolNode n = node(config, 200, effects);
        n.leave(0);
        Set<Identifier> told = new HashSet<>(effects.sentTo);
        assertEquals(128, told.size(), "leave tells 2 x gossipFanout members at once");
        effects.sentTo.clear();
        long gossip = n.nextDeadlineNs();
        while (n.counter("gossipRounds") == 0) {
            n.onTimers(gossip);
            gossip = n.nextDeadlineNs();
        }
        assertEquals(64, new HashSet<>(effects.sentTo).size(), "a gossip round sends to gossipFanout members");
    }
}
