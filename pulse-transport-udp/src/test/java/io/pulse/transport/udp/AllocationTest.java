package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plaintext paths allocate nothing per datagram in steady state: neither the I/O thread (receive, envelope
 * check, sender lookup, handler call) nor a sending thread; the sealed paths allocate only what the JDK's AES-GCM
 * allocates inside {@code Cipher.init}. Measured with the JVM's per-thread allocation counter,
 * which counts bytes, not time; a few stray bytes (the JIT's, a rare resize) are allowed, one object per datagram
 * is not.
 */
class AllocationTest {

    private static final int BATCH = 100;

    @ParameterizedTest(name = "sealed={0}")
    @ValueSource(booleans = {false, true})
    void steadyStateAllocatesNothingPerDatagramButTheJdksGcm(boolean sealed) throws Exception {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "skipped: this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "skipped: per-thread allocation counting is off");
        UdpTransport.Builder rb = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0"))
                .receiveBufferBytes(1 << 21);
        UdpTransport.Builder tb = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0"));
        if (sealed) {
            Keyring ring = Keyring.of(Keys.key(16, 3));
            rb.keyring(ring);
            tb.keyring(ring);
        }
        // sealed, the JDK's GCM allocates about 1 KB per Cipher.init (JDK 17); direct buffers would add 2 KB more
        double limit = sealed ? 1_600 : 4;
        try (UdpTransport rx = rb.open(); UdpTransport tx = tb.open()) {
            AtomicInteger got = new AtomicInteger();
            rx.start((from, payload) -> got.incrementAndGet());
            Thread io = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("pulse-udp-" + rx.localAddress().port())).findFirst()
                    .orElseThrow();
            ByteBuffer frame = ByteBuffer.allocateDirect(200);
            frame.put(TransportContractTest.frameOfLength(200)).flip();
            Identifier to = rx.localAddress();

            long[] sendAllocated = new long[1];
            Runnable round = () -> {
                int before = got.get();
                long a0 = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int i = 0; i < BATCH; i++) {
                    tx.send(to, frame);
                }
                sendAllocated[0] += mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - a0;
                RotationTest.await("a batch at the receiver", () -> got.get() >= before + BATCH);
            };
            for (int i = 0; i < 300; i++) { // warm up: let the JIT compile the paths
                round.run();
            }
            int rounds = 200;
            sendAllocated[0] = 0;
            long ioBefore = mx.getThreadAllocatedBytes(io.getId());
            for (int i = 0; i < rounds; i++) {
                round.run();
            }
            long ioBytes = mx.getThreadAllocatedBytes(io.getId()) - ioBefore;
            double perReceive = (double) ioBytes / (rounds * BATCH);
            double perSend = (double) sendAllocated[0] / (rounds * BATCH);
            System.out.printf("allocation per datagram (sealed=%s): receive %.2f bytes, send %.2f bytes%n", sealed,
                    perReceive, perSend);
            assertTrue(perReceive < limit, "the I/O thread allocates " + perReceive + " bytes per datagram");
            assertTrue(perSend < limit, "a sender allocates " + perSend + " bytes per datagram");
        }
    }
}
