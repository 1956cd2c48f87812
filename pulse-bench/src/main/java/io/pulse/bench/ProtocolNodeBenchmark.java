package io.pulse.bench;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import io.pulse.engine.ProtocolNode;
import io.pulse.engine.internal.FrameWriter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The protocol state machine handling the two datagrams of a quiet cluster's steady state, through
 * {@link ProtocolNode#onDatagram}: a ping carrying ten piggybacked updates (the node checks the frame, merges the
 * updates and answers with an ack, encoded and handed to a no-op {@code Effects}), and an ack carrying ten updates.
 * Goal: no allocation ({@code -prof gc}: 0 B/op), and well under the microsecond the codec alone is allowed.
 *
 * <p>The node knows {@code members} members (bootstrapped, ALIVE at incarnation 0); the updates are ALIVE at the
 * incarnations it already holds, which is what most piggybacked gossip is once a cluster has converged: news the
 * receiver already has. The ack carries a sequence number with no ping outstanding (the late-ack path; a matching
 * ack differs by one hash lookup and a few field writes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProtocolNodeBenchmark {

    /** Members the node knows. */
    @Param({"100"})
    public int members;

    private final Fixtures.NoEffects effects = new Fixtures.NoEffects();
    private ProtocolNode node;
    private ByteBuffer ping;
    private ByteBuffer ack;
    private Identifier sender;
    private long nowNs = 1_000_000_000L;

    @Setup
    public void setUp() {
        node = Fixtures.node(effects);
        List<Identifier> known = Fixtures.members(members);
        node.bootstrap(0, known);
        sender = known.get(0);
        ping = frame(sender, true, known);
        ack = frame(sender, false, known);
        long before = effects.sent;
        node.onDatagram(nowNs, sender, ping);
        if (effects.sent != before + 1) {
            throw new IllegalStateException("the node did not answer the fixture ping");
        }
    }

    /** Receives a ping with ten updates and answers it. */
    @Benchmark
    public long pingWithTenUpdates() {
        nowNs += 1_000;
        node.onDatagram(nowNs, sender, ping);
        return effects.sentBytes;
    }

    /** Receives an ack with ten updates. */
    @Benchmark
    public long ackWithTenUpdates() {
        nowNs += 1_000;
        node.onDatagram(nowNs, sender, ack);
        return effects.sent;
    }

    private static ByteBuffer frame(Identifier sender, boolean isPing, List<Identifier> known) {
        FrameWriter w = new FrameWriter(Fixtures.FRAME_BYTES);
        w.begin(sender);
        if (isPing) {
            w.putPing(77, Fixtures.member(0));
        } else {
            w.putAck(12345);
        }
        for (int i = 1; i <= 10; i++) {
            w.putAlive(0, known.get(i), Metadata.EMPTY);
        }
        ByteBuffer f = w.finish();
        return ByteBuffer.allocate(f.remaining()).put(f).flip();
    }
}
