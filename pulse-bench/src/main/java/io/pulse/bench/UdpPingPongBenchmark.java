package io.pulse.bench;

import io.pulse.api.Identifier;
import io.pulse.transport.udp.Keyring;
import io.pulse.transport.udp.UdpTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ping-pong over UDP loopback between two {@link UdpTransport}s in one JVM: the benchmark thread sends a 64-byte
 * frame from A to B, B's handler echoes it on B's I/O thread, and the call returns when A's I/O thread has received
 * the echo. One operation is one round trip, through two sockets, two I/O threads and (when sealed) two seals and
 * two opens. Throughput mode gives round trips per second, sample mode the latency percentiles.
 *
 * <p>Loopback rarely loses a datagram; if it does, the ping is sent again after a second (an outlier in the
 * percentiles, never a hang).
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UdpPingPongBenchmark {

    /** Whether both transports seal with AES-256-GCM. */
    @Param({"false", "true"})
    public boolean sealed;

    private UdpTransport a;
    private UdpTransport b;
    private Identifier toB;
    private ByteBuffer ping;
    private final AtomicLong pongs = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        UdpTransport.Builder ab = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0"));
        UdpTransport.Builder bb = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0"));
        if (sealed) {
            byte[] key = new byte[32];
            new SplittableRandom(1).nextBytes(key);
            ab.keyring(Keyring.of(key));
            bb.keyring(Keyring.of(key));
        }
        a = ab.open();
        b = bb.open();
        toB = b.localAddress();
        UdpTransport echo = b;
        b.start((from, payload) -> echo.send(from, payload));
        a.start((from, payload) -> pongs.incrementAndGet());
        byte[] f = new byte[64];
        System.arraycopy("qbpulse".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, f, 0, 7);
        f[7] = 1;
        ping = ByteBuffer.allocateDirect(f.length).put(f).flip();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
    }

    /** Round trips per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long roundTrip() {
        return pingPong();
    }

    /** The latency of a round trip, sampled: its percentiles in microseconds. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTripLatency() {
        return pingPong();
    }

    /** One round trip A to B to A. */
    private long pingPong() {
        long want = pongs.get() + 1;
        a.send(toB, ping);
        long resendAt = System.nanoTime() + 1_000_000_000L;
        long got;
        while ((got = pongs.get()) < want) {
            Thread.onSpinWait();
            if (System.nanoTime() - resendAt > 0) {
                a.send(toB, ping);
                resendAt = System.nanoTime() + 1_000_000_000L;
            }
        }
        return got;
    }
}
