package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.PulseConfig;
import io.pulse.engine.PulseNode;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A live node answers pings without allocating: the I/O thread reads the ping, the runtime hands it to the
 * protocol in place (no copy, no queue entry) and the ack goes out through the transport's send buffer. Measured
 * with the JVM's per-thread allocation counter on the node's I/O thread, which counts bytes, not time; a few stray
 * bytes (the JIT's, a rare resize) are allowed, one object per datagram is not.
 */
class NodeAllocationTest {

    @Test
    void aNodeAnswersPingsWithoutAllocating() throws Exception {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "skipped: this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "skipped: per-thread allocation counting is off");
        UdpTransport t = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).open();
        try (PulseNode node = PulseNode.builder(t).config(PulseConfig.lan()).seed(5).start();
             DatagramChannel prober = DatagramChannel.open()) {
            prober.bind(Identifier.parse("127.0.0.1:0").toSocketAddress());
            Identifier proberId = Identifier.of((java.net.InetSocketAddress) prober.getLocalAddress());
            Identifier target = node.localAddress();
            Thread io = Thread.getAllStackTraces().keySet().stream()
                    .filter(th -> th.getName().equals("pulse-udp-" + target.port())).findFirst().orElseThrow();
            ByteBuffer in = ByteBuffer.allocate(2_048);
            int[] seq = {0};
            Runnable pingPong = () -> {
                int s = ++seq[0];
                ByteBuffer ping = ByteBuffer.wrap(EngineFrames.frame(proberId, EngineFrames.ping(s, target)));
                try {
                    prober.send(ping, target.toSocketAddress());
                    while (true) {
                        in.clear();
                        prober.receive(in);
                        in.flip();
                        byte[] frame = new byte[in.remaining()];
                        in.get(frame);
                        Optional<Integer> ack = EngineFrames.ackSeq(frame, target);
                        if (ack.isPresent() && ack.get() == s) {
                            return;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            for (int i = 0; i < 20_000; i++) { // warm up: let the JIT compile the paths
                pingPong.run();
            }
            int n = 10_000;
            long before = mx.getThreadAllocatedBytes(io.getId());
            for (int i = 0; i < n; i++) {
                pingPong.run();
            }
            double perPing = (double) (mx.getThreadAllocatedBytes(io.getId()) - before) / n;
            System.out.printf("allocation on a node's I/O thread per ping answered: %.3f bytes%n", perPing);
            assertTrue(perPing < 4, "the I/O thread allocates " + perPing + " bytes per ping answered");
        }
    }
}
