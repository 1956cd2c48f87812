package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.api.Identifier;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keys rotate on two live transports that keep exchanging datagrams: A primary, B installed (opens both), B made
 * primary on one then the other, A removed; at no step is a datagram lost or refused.
 */
class RotationTest {

    private static final byte[] A = Keys.key(16, 100);
    private static final byte[] B = Keys.key(32, 200);

    private UdpTransport one;
    private UdpTransport two;
    private final AtomicInteger atOne = new AtomicInteger();
    private final AtomicInteger atTwo = new AtomicInteger();

    @AfterEach
    void close() {
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private void exchange(String step) {
        int n = 25;
        int oneBefore = atOne.get();
        int twoBefore = atTwo.get();
        for (int i = 0; i < n; i++) {
            ByteBuffer f = ByteBuffer.wrap(TransportContractTest.checkedFrame(1, i));
            assertEquals(true, one.send(two.localAddress(), f), step + ": send from one");
            assertEquals(true, two.send(one.localAddress(), f), step + ": send from two");
        }
        await(step + ": every datagram at two", () -> atTwo.get() == twoBefore + n);
        await(step + ": every datagram at one", () -> atOne.get() == oneBefore + n);
        for (UdpTransport t : new UdpTransport[] {one, two}) {
            assertEquals(0L, t.counters().get("dropped.unknownKey"), step + ": unknown key at " + t);
            assertEquals(0L, t.counters().get("dropped.failedToOpen"), step + ": failed to open at " + t);
            assertEquals(0L, t.counters().get("dropped.plaintextRefused"), step + ": plaintext at " + t);
        }
    }

    @Test
    void rotatesWithoutLoss() throws Exception {
        one = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).keyring(Keyring.of(A)).open();
        two = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).keyring(Keyring.of(A)).open();
        one.start((from, p) -> atOne.incrementAndGet());
        two.start((from, p) -> atTwo.incrementAndGet());
        exchange("A only");

        one.updateKeyring(k -> k.withKey(B));
        exchange("B installed on one");
        two.updateKeyring(k -> k.withKey(B));
        exchange("B installed on both");

        one.updateKeyring(k -> k.withPrimary(Keyring.keyId(B)));
        exchange("B primary on one");
        two.keyring(two.keyring().orElseThrow().withPrimary(Keyring.keyId(B)));
        exchange("B primary on both");

        one.updateKeyring(k -> k.withoutKey(Keyring.keyId(A)));
        exchange("A removed on one");
        two.updateKeyring(k -> k.withoutKey(Keyring.keyId(A)));
        exchange("A removed on both");
        assertEquals(Keyring.keyId(B), one.keyring().orElseThrow().primaryKeyId());
        assertEquals(1, two.keyring().orElseThrow().size());
    }

    @Test
    void migratesFromPlaintextWithoutLoss() throws Exception {
        one = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).open(); // a node not yet migrated
        two = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).keyring(Keyring.of(A))
                .acceptPlaintext(true).sealOutgoing(false).open(); // step 1: opens sealed, sends plaintext
        one.start((from, p) -> atOne.incrementAndGet());
        two.start((from, p) -> atTwo.incrementAndGet());
        exchange("step 1 beside a plaintext node");
        one.close();
        one = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).keyring(Keyring.of(A))
                .acceptPlaintext(true).sealOutgoing(false).open();
        one.start((from, p) -> atOne.incrementAndGet());
        exchange("step 1 on both");
        one.sealOutgoing(true);
        exchange("step 2 on one");
        two.sealOutgoing(true);
        exchange("step 2 on both");
        one.acceptPlaintext(false);
        exchange("step 3 on one");
        two.acceptPlaintext(false);
        exchange("step 3 on both: sealed only, so every datagram was sealed");
        assertThrows(IllegalStateException.class, () -> one.sealOutgoing(false),
                "sending plaintext while refusing it");
    }
}
