package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.Metadata;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.engine.internal.FrameReader;
import io.pulse.engine.internal.FrameWriter;
import io.pulse.engine.internal.Wire;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The rules a node applies to membership updates, each shown on one {@link ProtocolNode} driven by hand: frames
 * written with the engine's own {@link FrameWriter} as peers would send them, a clock moved by the test, and the
 * node's events and frames captured.
 */
class MembershipRulesTest {

    private static final long S = 1_000_000_000L;
    private static final Identifier SELF = Identifier.parse("10.0.0.1:7946");
    private static final Identifier X = Identifier.parse("10.0.0.9:7946");
    private static final Metadata V1 = Metadata.ofUtf8("version=1");
    private static final Metadata V2 = Metadata.ofUtf8("version=2");

    private static Identifier peer(int i) {
        return Identifier.parse("10.0.1." + i + ":7946");
    }

    /** One node under test, four peers it knows, and what it publishes and sends. */
    private static final class Node implements Effects {
        final ProtocolNode node;
        final List<MembershipEvent> events = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        private final FrameWriter writer = new FrameWriter(1400);
        long now;

        Node() {
            PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
            node = new ProtocolNode(SELF, config, Role.FULL, new SplittableRandom(1), this, Instant.EPOCH, 1400,
                    Interner.NONE);
            node.bootstrap(0, List.of(peer(1), peer(2), peer(3), peer(4)));
            node.start(0);
        }

        @Override
        public void send(Identifier to, ByteBuffer frame) {
            byte[] copy = new byte[frame.remaining()];
            frame.duplicate().get(copy);
            sent.add(copy);
        }

        @Override
        public void publish(MembershipEvent event) {
            events.add(event);
        }

        /** Delivers a frame from {@code from} holding what {@code messages} writes. */
        void receive(Identifier from, Consumer<FrameWriter> messages) {
            writer.begin(from);
            messages.accept(writer);
            node.onDatagram(now, writer.finish());
        }

        /** Moves the clock forward by {@code ns}, firing every timer due on the way. */
        void advance(long ns) {
            long end = now + ns;
            for (long next = node.nextDeadlineNs(); next <= end; next = node.nextDeadlineNs()) {
                now = Math.max(now, next);
                node.onTimers(now);
            }
            now = end;
        }

        /** The events published about {@code member} so far, by type. */
        List<MembershipEvent> about(Identifier member, Class<? extends MembershipEvent> type) {
            return events.stream().filter(e -> e.member().equals(member) && type.isInstance(e)).toList();
        }

        /** The event types published about {@code member}, in order, as "Joined, Suspected, ...". */
        String story(Identifier member) {
            return String.join(", ", events.stream().filter(e -> e.member().equals(member))
                    .map(e -> e.getClass().getSimpleName() + "@" + e.incarnation()).toList());
        }

        /** The ALIVE records about this node in the frames sent since {@code from}, as "inc:metadata". */
        List<String> selfAlivesSentSince(int from) {
            List<String> out = new ArrayList<>();
            FrameReader reader = new FrameReader(512);
            for (byte[] f : sent.subList(from, sent.size())) {
                if (reader.wrap(ByteBuffer.wrap(f)) != FrameReader.OK) {
                    continue;
                }
                while (reader.next()) {
                    int b = reader.body();
                    if (reader.type() == Wire.ALIVE && reader.identityEquals(b + 4, SELF)) {
                        int lenAt = reader.skipIdentity(b + 4);
                        byte[] md = new byte[reader.uint16(lenAt)];
                        reader.buffer().get(lenAt + 2, md);
                        out.add(reader.int32(b) + ":" + Metadata.of(md).asUtf8());
                    }
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- an ALIVE about oneself with other metadata

    @Test
    void anAliveAboutItselfAtItsIncarnationWithOtherMetadataIsRefuted() {
        Node n = new Node();
        n.node.updateMetadata(0, V2); // a restarted process: incarnation 1 again, new metadata
        n.advance(S);
        int mark = n.sent.size();
        // a peer still holds the previous process's record: the same incarnation, the old metadata
        n.receive(peer(1), w -> w.putAlive(1, SELF, V1));
        assertEquals(2, n.node.incarnation(), "raised above the record it heard");
        n.advance(S);
        List<String> announced = n.selfAlivesSentSince(mark);
        assertTrue(!announced.isEmpty() && announced.stream().allMatch("2:version=2"::equals),
                "re-announced its own metadata at the new incarnation: " + announced);
    }

    @Test
    void aPushPullCarryingItsOldRecordIsRefutedToo() {
        Node n = new Node();
        n.node.updateMetadata(0, V2);
        n.receive(peer(1), w -> {
            w.putPushPull(0, 1, 0, 2);
            w.putAlive(0, peer(1), Metadata.EMPTY);
            w.putAlive(1, SELF, V1);
        });
        assertEquals(2, n.node.incarnation());
    }

    @Test
    void anAliveAboutItselfWithItsOwnMetadataOrAStaleOneChangesNothing() {
        Node n = new Node();
        n.node.updateMetadata(0, V1);
        n.node.updateMetadata(0, V2); // incarnation 2
        n.receive(peer(1), w -> w.putAlive(2, SELF, V2)); // its own record, echoed back
        n.receive(peer(2), w -> w.putAlive(1, SELF, V1)); // a record older than its own: the peer will catch up
        assertEquals(2, n.node.incarnation());
        assertEquals(0, n.node.counter("refutations"));
        n.receive(peer(3), w -> w.putAlive(5, SELF, V2)); // above its own: refuted, as always
        assertEquals(6, n.node.incarnation());
    }

    // ------------------------------------------------------------------------- accusations of the dead and gone

    /** The node holds X DEAD at incarnation 0, declared by a peer's gossip. */
    private static Node holdingXDead() {
        Node n = new Node();
        n.receive(peer(1), w -> w.putAlive(0, X, V1));
        n.receive(peer(2), w -> w.putDead(0, X, peer(2)));
        assertEquals(State.DEAD, n.node.stateOf(X).orElseThrow());
        return n;
    }

    @Test
    void aSuspicionOfAMemberHeldDeadIsIgnored() {
        Node n = holdingXDead();
        n.receive(peer(3), w -> w.putSuspect(1, X, peer(3)));
        assertEquals(State.DEAD, n.node.stateOf(X).orElseThrow(), "still dead: " + n.story(X));
        n.advance(120 * S); // well past the longest suspicion timeout
        assertEquals(List.of(), n.about(X, MembershipEvent.Suspected.class), n.story(X));
        assertEquals(1, n.about(X, MembershipEvent.Failed.class).size(), "failed once: " + n.story(X));
    }

    @Test
    void aDeathAtAHigherIncarnationOfAMemberHeldDeadIsNotASecondFailure() {
        Node n = holdingXDead();
        // second-hand, in a state transfer (taken as a suspicion), and first-hand, in gossip
        n.receive(peer(3), w -> {
            w.putPushPull(0, 1, 0, 1);
            w.putDead(1, X, peer(3));
        });
        n.receive(peer(4), w -> w.putDead(2, X, peer(4)));
        n.advance(120 * S);
        assertEquals(State.DEAD, n.node.stateOf(X).orElseThrow());
        assertEquals(List.of(), n.about(X, MembershipEvent.Suspected.class), n.story(X));
        assertEquals(1, n.about(X, MembershipEvent.Failed.class).size(), "failed once: " + n.story(X));
    }

    @Test
    void aMemberThatLeftIsNeitherSuspectedNorFailed() {
        Node n = new Node();
        n.receive(peer(1), w -> w.putAlive(0, X, V1));
        n.receive(peer(1), w -> w.putLeft(0, X));
        n.receive(peer(2), w -> w.putSuspect(1, X, peer(2)));
        n.receive(peer(3), w -> w.putDead(2, X, peer(3)));
        n.receive(peer(4), w -> {
            w.putPushPull(0, 1, 0, 1);
            w.putDead(3, X, peer(4));
        });
        n.advance(120 * S);
        assertEquals(State.LEFT, n.node.stateOf(X).orElseThrow());
        assertEquals("Joined@0, Left@0", n.story(X));
    }

    @Test
    void onlyAnAliveAtAHigherIncarnationRevivesAMemberHeldDeadAndItRejoins() {
        Node n = holdingXDead();
        n.receive(peer(3), w -> w.putSuspect(1, X, peer(3)));
        n.receive(peer(3), w -> w.putAlive(0, X, V1)); // stale
        assertEquals(State.DEAD, n.node.stateOf(X).orElseThrow());
        n.receive(peer(4), w -> w.putAlive(1, X, V2)); // the member refuted, or restarted and refuted
        assertEquals(State.ALIVE, n.node.stateOf(X).orElseThrow());
        assertEquals("Joined@0, Failed@0, Joined@1", n.story(X));
        MembershipEvent.Joined again = (MembershipEvent.Joined) n.about(X, MembershipEvent.Joined.class).get(1);
        assertEquals(V2, again.metadata(), "a rejoin carries the metadata it came back with");
        assertTrue(n.node.members().contains(X));
    }

    // ------------------------------------------------------------------------- new metadata of a suspect

    @Test
    void aRefutationWithNewMetadataRevivesASuspectAndPublishesTheUpdate() {
        Node n = new Node();
        n.receive(peer(1), w -> w.putAlive(0, X, V1));
        n.receive(peer(2), w -> w.putSuspect(0, X, peer(2)));
        n.receive(peer(3), w -> w.putAlive(1, X, V2));
        assertEquals("Joined@0, Suspected@0, Alive@1, Updated@1", n.story(X));
        MembershipEvent.Updated u = (MembershipEvent.Updated) n.about(X, MembershipEvent.Updated.class).get(0);
        assertEquals(V2, u.metadata());
        assertEquals(V2, n.node.status(X).orElseThrow().metadata());
    }

    @Test
    void aRefutationWithTheSameMetadataIsOnlyAlive() {
        Node n = new Node();
        n.receive(peer(1), w -> w.putAlive(0, X, V1));
        n.receive(peer(2), w -> w.putSuspect(0, X, peer(2)));
        n.receive(peer(3), w -> w.putAlive(1, X, V1));
        assertEquals("Joined@0, Suspected@0, Alive@1", n.story(X));
    }
}
