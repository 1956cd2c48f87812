package io.pulse.bench;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import io.pulse.engine.ProtocolNode;
import io.pulse.engine.internal.FrameWriter;
import io.pulse.engine.internal.Wire;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Merging a push-pull state transfer of {@code members} members: the frames a peer sends (each a PUSH_PULL
 * header followed by as many ALIVE updates as fit in 1,400 bytes, 85 per frame, 118 frames for 10,000 members),
 * built with the engine's {@link FrameWriter} and fed to {@link ProtocolNode#onDatagram}, no reply wanted.
 *
 * <ul>
 *   <li>{@code known}: the receiver already holds every member at the same incarnation (routine anti-entropy in a
 *       converged cluster): should allocate nothing;</li>
 *   <li>{@code unknown}: the receiver knows only the sender (a join): every member is added, queued for gossip
 *       and published as a {@code Joined} event; allocation is expected (the table grows, each event is an
 *       object), and the figure says how much. A fresh node is built before each operation, outside the
 *       measurement.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PushPullMergeBenchmark {

    /** Members in the transferred state. */
    @Param({"10000"})
    public int members;

    /** Whether the receiver already knows them: {@code known} or {@code unknown}. */
    @Param({"known", "unknown"})
    public String receiver;

    private final Fixtures.NoEffects effects = new Fixtures.NoEffects();
    private List<Identifier> all;
    private ByteBuffer[] frames;
    private Identifier sender;
    private ProtocolNode node;
    private long nowNs = 1_000_000_000L;

    @Setup(Level.Trial)
    public void buildFrames() {
        all = Fixtures.members(members);
        sender = all.get(0);
        FrameWriter w = new FrameWriter(Fixtures.FRAME_BYTES);
        List<ByteBuffer> out = new ArrayList<>();
        int chunk = 0;
        w.begin(sender);
        w.putPushPull(0, 1, chunk, members);
        for (Identifier m : all) {
            int size = FrameWriter.aliveBytes(m, 0);
            if (!w.fits(size)) {
                out.add(copy(w.finish()));
                w.begin(sender);
                w.putPushPull(0, 1, ++chunk, members);
            }
            w.putAlive(0, m, Metadata.EMPTY);
        }
        out.add(copy(w.finish()));
        frames = out.toArray(new ByteBuffer[0]);
        if ("known".equals(receiver)) {
            node = Fixtures.node(effects);
            node.bootstrap(0, all);
        } else if (!"unknown".equals(receiver)) {
            throw new IllegalArgumentException("receiver must be known or unknown, was " + receiver);
        }
    }

    @Setup(Level.Invocation)
    public void freshNodeForAJoin() {
        if ("unknown".equals(receiver)) {
            node = Fixtures.node(effects);
            node.bootstrap(0, all.subList(0, 1));
        }
    }

    /** Feeds every frame of the state transfer; returns the members the node then knows. */
    @Benchmark
    public int mergeState() {
        nowNs += 1_000_000;
        for (ByteBuffer f : frames) {
            node.onDatagram(nowNs, sender, f);
        }
        return node.knownMembers();
    }

    /** Frames in the transfer (for the report). */
    int frameCount() {
        return frames.length;
    }

    private static ByteBuffer copy(ByteBuffer f) {
        if (f.get(f.position() + Wire.SENDER_OFFSET + Wire.IPV4_IDENTITY_BYTES) != Wire.PUSH_PULL) {
            throw new IllegalStateException("a state frame must start with its push-pull header");
        }
        return ByteBuffer.allocate(f.remaining()).put(f).flip();
    }
}
