package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.api.Identifier;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The receive buffer is sized by {@code maxDatagramBytes}: a datagram of exactly that length is handed on whole,
 * one byte longer is dropped as {@code dropped.tooLong} rather than cut short, and the transport goes on.
 */
class DatagramSizeTest {

    private static final int MAX = UdpTransport.MIN_DATAGRAM_BYTES;

    /** A plaintext envelope (magic, version, flags 0) followed by filler, {@code length} bytes in all. */
    private static ByteBuffer plaintext(int length) {
        byte[] d = new byte[length];
        System.arraycopy(Envelope.MAGIC, 0, d, Envelope.MAGIC_OFFSET, Envelope.MAGIC_LENGTH);
        d[Envelope.VERSION_OFFSET] = Envelope.VERSION;
        d[Envelope.FLAGS_OFFSET] = 0;
        for (int i = Envelope.FRAME_HEADER_LENGTH; i < length; i++) {
            d[i] = (byte) i;
        }
        return ByteBuffer.wrap(d);
    }

    @Test
    void aDatagramLongerThanTheConfiguredSizeIsCountedNotCut() throws Exception {
        List<Integer> lengths = new CopyOnWriteArrayList<>();
        try (UdpTransport rx = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).maxDatagramBytes(MAX)
                .open();
             DatagramChannel raw = DatagramChannel.open()) {
            rx.start((from, payload) -> lengths.add(payload.remaining()));
            raw.send(plaintext(MAX), rx.localAddress().toSocketAddress());
            raw.send(plaintext(MAX + 1), rx.localAddress().toSocketAddress());
            raw.send(plaintext(4 * MAX), rx.localAddress().toSocketAddress());
            raw.send(plaintext(MAX - 1), rx.localAddress().toSocketAddress());
            RotationTest.await("four datagrams read", () -> rx.counters().get("datagramsReceived") == 4);
            RotationTest.await("two handed on", () -> lengths.size() == 2);
            assertEquals(List.of(MAX, MAX - 1), lengths, "whole, in order");
            assertEquals(2L, rx.counters().get("dropped.tooLong"));
            assertEquals(2L, rx.counters().get("datagramsDelivered"));
        }
    }
}
