package io.pulse.bench;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import io.pulse.engine.internal.FrameWriter;
import io.pulse.transport.udp.UdpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How fast a node answers over UDP on loopback, against the JDK's own floor, in the same run: one client (a
 * non-blocking {@link DatagramChannel} waiting on a {@link Selector}, identical in both cases) keeps
 * {@code inFlight} datagrams outstanding against an echo server that is either
 * <ul>
 *   <li>{@code jdk}: a thread doing blocking {@code DatagramChannel.receive} then {@code send} back to the sender
 *       (the raw JDK echo of {@code reference/targets.md}), or</li>
 *   <li>{@code pulse}: a {@link UdpTransport} whose handler sends every datagram back to its sender from the
 *       transport's I/O thread (plaintext).</li>
 * </ul>
 * One operation is one reply received and one datagram sent: {@link #roundTrip} (Throughput) gives round trips per
 * second; {@link #roundTripLatency} (SampleTime, µs) gives the round-trip latency percentiles at
 * {@code inFlight = 1} (at 64 it measures the gap between replies, not a round trip). Goal: {@code pulse} at least
 * 70% of {@code jdk}'s rate.
 *
 * <p>The datagram is a real frame: a ping carrying ten ALIVE updates (217 bytes). A reply not seen within 200 ms
 * is taken as lost and one datagram is sent again (counted in {@code resent}, an {@link AuxCounters} field), so a
 * loss never hangs the run.
 */
@State(Scope.Thread)
public class UdpEchoBenchmark {

    /** The echo server: {@code jdk} or {@code pulse}. */
    @Param({"jdk", "pulse"})
    public String server;

    /** Datagrams kept outstanding. */
    @Param({"1", "64"})
    public int inFlight;

    private DatagramChannel client;
    private Selector selector;
    private ByteBuffer ping;
    private final ByteBuffer reply = ByteBuffer.allocateDirect(2048);
    private UdpTransport pulse;
    private DatagramChannel jdk;
    private Thread jdkThread;

    /** Datagrams sent again after 200 ms without a reply. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Losses {
        public long resent;

        @Setup(Level.Iteration)
        public void clean() {
            resent = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        InetSocketAddress serverAddress;
        switch (server) {
            case "jdk" -> {
                jdk = DatagramChannel.open();
                jdk.bind(new InetSocketAddress("127.0.0.1", 0));
                serverAddress = (InetSocketAddress) jdk.getLocalAddress();
                DatagramChannel ch = jdk;
                jdkThread = new Thread(() -> echo(ch), "jdk-echo");
                jdkThread.setDaemon(true);
                jdkThread.start();
            }
            case "pulse" -> {
                pulse = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).open();
                UdpTransport t = pulse;
                t.start(t::send);
                serverAddress = pulse.localAddress().toSocketAddress();
            }
            default -> throw new IllegalArgumentException("server must be jdk or pulse, was " + server);
        }
        client = DatagramChannel.open();
        client.bind(new InetSocketAddress("127.0.0.1", 0));
        client.connect(serverAddress);
        client.configureBlocking(false);
        selector = Selector.open();
        client.register(selector, SelectionKey.OP_READ);

        FrameWriter w = new FrameWriter(Fixtures.FRAME_BYTES);
        w.begin(Identifier.of((InetSocketAddress) client.getLocalAddress()));
        w.putPing(1, Identifier.of(serverAddress));
        for (int i = 1; i <= 10; i++) {
            w.putAlive(0, Fixtures.member(i), Metadata.EMPTY);
        }
        ByteBuffer f = w.finish();
        ping = ByteBuffer.allocateDirect(f.remaining()).put(f).flip();
        for (int i = 0; i < inFlight; i++) {
            send();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        selector.close();
        if (pulse != null) {
            pulse.close();
        }
        if (jdk != null) {
            jdk.close();
            jdkThread.interrupt();
        }
    }

    /** Waits for one reply, then sends one datagram: round trips per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int roundTrip(Losses losses) throws IOException {
        return exchange(losses);
    }

    /** The same exchange, sampled: its latency distribution. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int roundTripLatency(Losses losses) throws IOException {
        return exchange(losses);
    }

    private int exchange(Losses losses) throws IOException {
        reply.clear();
        int n;
        while ((n = client.read(reply)) == 0) {
            if (selector.select(200) == 0) {
                losses.resent++;
                send();
            }
            selector.selectedKeys().clear();
        }
        send();
        return n;
    }

    private void send() throws IOException {
        ping.rewind();
        client.write(ping);
    }

    private static void echo(DatagramChannel ch) {
        ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                buf.clear();
                SocketAddress from = ch.receive(buf);
                buf.flip();
                ch.send(buf, from);
            }
        } catch (ClosedChannelException e) {
            // closed by tearDown: done
        } catch (IOException e) {
            throw new IllegalStateException("jdk echo failed", e);
        }
    }
}
