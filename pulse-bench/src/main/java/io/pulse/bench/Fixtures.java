package io.pulse.bench;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.engine.Effects;
import io.pulse.engine.Interner;
import io.pulse.engine.ProtocolNode;
import io.pulse.engine.Role;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Identities, nodes and a do-nothing {@link Effects} shared by the benchmarks. */
final class Fixtures {

    /** The frame size the UDP transport carries by default. */
    static final int FRAME_BYTES = 1_400;

    private Fixtures() {
    }

    /** Member {@code i} of a cluster on 10.x.y.z:7946 (IPv4, as on a LAN). */
    static Identifier member(int i) {
        byte[] a = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
        return Identifier.of(a, 7946);
    }

    /** Members 1..n (0 is the node under test). */
    static List<Identifier> members(int n) {
        List<Identifier> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(member(i));
        }
        return out;
    }

    /** A full node at member 0, LAN preset, seeded, not started, whose outputs go to {@code effects}. */
    static ProtocolNode node(Effects effects) {
        return new ProtocolNode(member(0), PulseConfig.lan(), Role.FULL, new SplittableRandom(42), effects,
                Instant.EPOCH, FRAME_BYTES, Interner.NONE);
    }

    /** Drops every output; counts sends so that the JIT cannot remove them. */
    static final class NoEffects implements Effects {
        long sent;
        long sentBytes;
        long events;

        @Override
        public void send(Identifier to, ByteBuffer frame) {
            sent++;
            sentBytes += frame.remaining();
        }

        @Override
        public void publish(MembershipEvent event) {
            events++;
        }
    }
}
