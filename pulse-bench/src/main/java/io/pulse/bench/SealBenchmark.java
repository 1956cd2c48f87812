package io.pulse.bench;

import io.pulse.transport.udp.Keyring;
import io.pulse.transport.udp.Sealer;
import io.pulse.transport.udp.UdpTransport;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AES-GCM sealing and opening of a full 1,400-byte datagram (a 1,359-byte frame plus 41 bytes of sealing), as the
 * UDP transport does it per datagram: the JDK's {@code AES/GCM/NoPadding}, one cipher per thread, the same buffers.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main SealBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SealBenchmark {

    /** The key size in bytes: AES-128, AES-256. */
    @Param({"16", "32"})
    public int keyBytes;

    private Sealer sealer;
    private ByteBuffer frame;
    private ByteBuffer sealed;
    private ByteBuffer sealedOnce;
    private ByteBuffer opened;

    @Setup
    public void setUp() {
        byte[] key = new byte[keyBytes];
        SplittableRandom random = new SplittableRandom(keyBytes);
        random.nextBytes(key);
        sealer = new Sealer(Keyring.of(key));
        int datagram = UdpTransport.DEFAULT_DATAGRAM_BYTES;
        byte[] f = new byte[datagram - UdpTransport.SEAL_OVERHEAD_BYTES];
        random.nextBytes(f);
        System.arraycopy("qbpulse".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, f, 0, 7);
        f[7] = 1;
        f[8] = 0;
        // buffers as the transport has them: the engine's frame and the send buffer on the heap, the received
        // datagram in the direct receive buffer, the opened frame on the heap
        frame = ByteBuffer.wrap(f);
        sealed = ByteBuffer.allocate(datagram);
        sealer.seal(frame, sealed);
        sealedOnce = ByteBuffer.allocateDirect(datagram).put(sealed).flip();
        opened = ByteBuffer.allocate(datagram);
    }

    /** Seals the frame: header, next nonce, AES-GCM encryption and tag. */
    @Benchmark
    public ByteBuffer seal() {
        sealer.seal(frame, sealed);
        return sealed;
    }

    /** Opens a sealed datagram: envelope checks, key lookup, AES-GCM decryption and tag check. */
    @Benchmark
    public boolean open() {
        boolean ok = sealer.open(sealedOnce, opened);
        if (!ok) {
            throw new IllegalStateException("a genuine datagram failed to open");
        }
        return ok;
    }
}
