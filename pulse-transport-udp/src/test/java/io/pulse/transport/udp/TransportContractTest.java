package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pulse.api.Identifier;
import io.pulse.spi.DatagramHandler;
import io.pulse.spi.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Transport} meets, run against each implementation by a subclass (JCTools'
 * {@code QueueSanityTest} pattern). Written to be copied or reused as is by other transports (the simulator's):
 * it depends only on the SPI, JUnit and the JDK.
 *
 * <p>A subclass supplies {@link #open()}: a fresh transport on a network where the transports of one test reach
 * each other without loss (loopback, or a lossless simulated network). A transport whose delivery needs driving (a
 * simulated clock) overrides {@link #await(String, BooleanSupplier)} to run its network until the condition holds.
 *
 * <p>Payloads are engine frames: they start with the envelope ({@code "qbpulse"}, version 1, flags 0), because a
 * transport may check it. Nothing here asserts a duration: conditions are awaited with a generous deadline.
 */
public abstract class TransportContractTest {

    /** The counters every transport reports (the SPI's list). */
    protected static final List<String> REQUIRED_COUNTERS =
            List.of("datagramsSent", "bytesSent", "datagramsReceived", "bytesReceived");

    private final List<Transport> opened = new ArrayList<>();

    /** A fresh, bound, not yet started transport; the contract closes it after the test. */
    protected abstract Transport open() throws Exception;

    /** How long {@link #await} waits before failing. Generous: a loaded CI machine is slow, not broken. */
    protected Duration deadline() {
        return Duration.ofSeconds(30);
    }

    /**
     * Waits until {@code condition} holds, failing with {@code what} after {@link #deadline()}. The default polls;
     * a simulated transport overrides it to advance its network instead.
     */
    protected void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out after " + deadline() + " waiting for: " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    /** A frame: the envelope ({@code "qbpulse"}, version 1, flags 0) and then {@code body}. */
    protected static byte[] frame(byte[] body) {
        byte[] f = new byte[9 + body.length];
        System.arraycopy("qbpulse".getBytes(StandardCharsets.US_ASCII), 0, f, 0, 7);
        f[7] = 1;
        f[8] = 0;
        System.arraycopy(body, 0, f, 9, body.length);
        return f;
    }

    /** A frame of exactly {@code length} bytes (at least 9), its body a recognisable pattern. */
    protected static byte[] frameOfLength(int length) {
        byte[] body = new byte[length - 9];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        return frame(body);
    }

    private Transport track(Transport t) {
        opened.add(t);
        return t;
    }

    /** Opens a transport that the contract closes after the test. */
    protected Transport openTracked() throws Exception {
        return track(open());
    }

    @AfterEach
    void closeAll() {
        for (Transport t : opened) {
            t.close();
        }
        opened.clear();
    }

    /** Collects copies of what a handler receives. */
    protected static final class Inbox implements DatagramHandler {
        /** One received datagram, copied. */
        public record Received(Identifier from, byte[] bytes) {
        }

        public final Queue<Received> received = new ConcurrentLinkedQueue<>();
        public final AtomicInteger count = new AtomicInteger();

        @Override
        public void onDatagram(Identifier from, ByteBuffer payload) {
            byte[] copy = new byte[payload.remaining()];
            payload.get(payload.position(), copy);
            received.add(new Received(from, copy));
            count.incrementAndGet();
        }
    }

    private static long counter(Transport t, String name) {
        Long v = t.counters().get(name);
        assertTrue(v != null, () -> "counter " + name + " missing from " + t.counters());
        return v;
    }

    // ---- the contract -------------------------------------------------------------------------------------------

    @Test
    void deliversADatagramWithItsSender() throws Exception {
        Transport a = openTracked();
        Transport b = openTracked();
        Inbox inbox = new Inbox();
        b.start(inbox);
        byte[] f = frame("hello".getBytes(StandardCharsets.US_ASCII));
        assertTrue(a.send(b.localAddress(), ByteBuffer.wrap(f)), "send to a live transport");
        await("the datagram at b", () -> inbox.count.get() == 1);
        Inbox.Received r = inbox.received.peek();
        assertEquals(a.localAddress(), r.from());
        assertArrayEquals(f, r.bytes());
    }

    @Test
    void sendReadsBetweenPositionAndLimitLeavesThemAndCopies() throws Exception {
        Transport a = openTracked();
        Transport b = openTracked();
        Inbox inbox = new Inbox();
        b.start(inbox);
        byte[] f = frame("payload".getBytes(StandardCharsets.US_ASCII));
        for (ByteBuffer buffer : List.of(ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64))) {
            buffer.position(5);
            buffer.put(f);
            buffer.limit(5 + f.length).position(5);
            assertTrue(a.send(b.localAddress(), buffer));
            assertEquals(5, buffer.position(), "position untouched");
            assertEquals(5 + f.length, buffer.limit(), "limit untouched");
            buffer.clear(); // the caller reuses the buffer at once
            while (buffer.hasRemaining()) {
                buffer.put((byte) 0x55);
            }
        }
        await("both datagrams at b", () -> inbox.count.get() == 2);
        for (Inbox.Received r : inbox.received) {
            assertArrayEquals(f, r.bytes(), "the bytes as they were at the call");
        }
    }

    @Test
    void acceptsMaxPayloadRefusesAndCountsOneMore() throws Exception {
        Transport a = openTracked();
        Transport b = openTracked();
        Inbox inbox = new Inbox();
        b.start(inbox);
        int max = a.maxPayloadBytes();
        assertTrue(max >= 9, "maxPayloadBytes " + max);
        byte[] biggest = frameOfLength(max);
        assertTrue(a.send(b.localAddress(), ByteBuffer.wrap(biggest)), "a payload of maxPayloadBytes is sent");
        await("the largest datagram at b", () -> inbox.count.get() == 1);
        assertArrayEquals(biggest, inbox.received.peek().bytes());

        long before = a.counters().getOrDefault("dropped.oversized", 0L);
        ByteBuffer tooBig = ByteBuffer.wrap(frameOfLength(max + 1));
        assertFalse(a.send(b.localAddress(), tooBig), "a payload over maxPayloadBytes is refused");
        assertEquals(0, tooBig.position());
        assertEquals(before + 1, a.counters().get("dropped.oversized"), "counted as dropped.oversized");
    }

    @Test
    void closeIsIdempotentAndStopsDelivery() throws Exception {
        Transport a = openTracked();
        Transport b = openTracked();
        Transport c = openTracked();
        Inbox atB = new Inbox();
        Inbox atC = new Inbox();
        b.start(atB);
        c.start(atC);
        byte[] f = frame(new byte[] {1, 2, 3});
        a.send(b.localAddress(), ByteBuffer.wrap(f));
        await("first datagram at b", () -> atB.count.get() == 1);

        b.close();
        assertDoesNotThrow(b::close, "close is idempotent");
        int atClose = atB.count.get();
        for (int i = 0; i < 10; i++) {
            a.send(b.localAddress(), ByteBuffer.wrap(f));
        }
        a.send(c.localAddress(), ByteBuffer.wrap(f)); // sent after those to b: once at c, they had their chance
        await("marker at c", () -> atC.count.get() == 1);
        assertEquals(atClose, atB.count.get(), "nothing delivered after close returned");

        assertFalse(b.send(a.localAddress(), ByteBuffer.wrap(f)), "a closed transport does not send");
        assertThrows(IllegalStateException.class, () -> b.start(new Inbox()), "start after close");
    }

    @Test
    void startTwiceIsRefused() throws Exception {
        Transport a = openTracked();
        a.start(new Inbox());
        assertThrows(IllegalStateException.class, () -> a.start(new Inbox()));
    }

    @Test
    void closeWithoutStartIsFine() throws Exception {
        Transport a = openTracked();
        a.close();
        a.close();
    }

    @Test
    void aThrowingHandlerCostsOneDatagramNotTheLoop() throws Exception {
        Transport a = openTracked();
        Transport b = openTracked();
        Inbox inbox = new Inbox();
        b.start((from, payload) -> {
            if (payload.get(payload.position() + 9) == 66) {
                throw new IllegalStateException("handler failure on purpose");
            }
            inbox.onDatagram(from, payload);
        });
        a.send(b.localAddress(), ByteBuffer.wrap(frame(new byte[] {66})));
        await("the throwing datagram counted", () -> b.counters().getOrDefault("dropped.handlerError", 0L) == 1);
        a.send(b.localAddress(), ByteBuffer.wrap(frame(new byte[] {1})));
        await("the next datagram delivered", () -> inbox.count.get() == 1);
        assertEquals(1, b.counters().get("dropped.handlerError"));
    }

    @Test
    void countersCountWhatIsSentAndReceived() throws Exception {
        Transport a = openTracked();
        Transport b = openTracked();
        Inbox inbox = new Inbox();
        b.start(inbox);
        Map<String, Long> initial = a.counters();
        for (String name : REQUIRED_COUNTERS) {
            assertEquals(0L, initial.get(name), name + " starts at 0");
        }
        byte[] f = frameOfLength(100);
        int n = 5;
        for (int i = 0; i < n; i++) {
            assertTrue(a.send(b.localAddress(), ByteBuffer.wrap(f)));
        }
        await("all at b", () -> inbox.count.get() == n);
        assertEquals(n, counter(a, "datagramsSent"));
        assertTrue(counter(a, "bytesSent") >= (long) n * f.length, "bytesSent counts at least the payloads");
        await("counted at b", () -> counter(b, "datagramsReceived") == n);
        assertTrue(counter(b, "bytesReceived") >= (long) n * f.length);
        assertEquals(0, counter(b, "datagramsSent"));
    }

    @Test
    void concurrentSendersDeliverWholeDatagrams() throws Exception {
        Transport a = openTracked();
        Transport b = openTracked();
        AtomicLong corrupt = new AtomicLong();
        AtomicInteger good = new AtomicInteger();
        b.start((from, payload) -> {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(payload.position(), bytes);
            if (checked(bytes)) {
                good.incrementAndGet();
            } else {
                corrupt.incrementAndGet();
            }
        });
        int threads = 4;
        int perThread = 50;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread s = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    if (a.send(b.localAddress(), ByteBuffer.wrap(checkedFrame(id, i)))) {
                        accepted.incrementAndGet();
                    }
                }
            }, "contract-sender-" + t);
            senders.add(s);
            s.start();
        }
        go.countDown();
        for (Thread s : senders) {
            s.join();
        }
        assertEquals(threads * perThread, accepted.get(), "every send accepted (an idle loopback socket)");
        await("every datagram at b", () -> good.get() + corrupt.get() == threads * perThread);
        assertEquals(0, corrupt.get(), "no datagram mixed with another");
    }

    /** A frame whose body carries the sender, a sequence number, padding and a CRC32C over them. */
    static byte[] checkedFrame(int sender, int seq) {
        ByteBuffer body = ByteBuffer.allocate(8 + 40 + seq % 200 + 4);
        body.putInt(sender).putInt(seq);
        while (body.remaining() > 4) {
            body.put((byte) (sender * 13 + seq + body.position()));
        }
        CRC32C crc = new CRC32C();
        crc.update(body.array(), 0, body.position());
        body.putInt((int) crc.getValue());
        return frame(body.array());
    }

    static boolean checked(byte[] frame) {
        if (frame.length < 9 + 12) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(frame, 9, frame.length - 9 - 4);
        return (int) crc.getValue() == ByteBuffer.wrap(frame, frame.length - 4, 4).getInt();
    }
}
