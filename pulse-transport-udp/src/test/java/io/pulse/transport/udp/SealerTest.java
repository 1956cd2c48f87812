package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SealerTest {

    @Test
    void sealsAndOpensLikeTheTransport() {
        Keyring ring = Keyring.of(Keys.key(32, 9));
        Sealer sealer = new Sealer(ring);
        byte[] frame = TransportContractTest.frameOfLength(1_359);
        ByteBuffer sealed = ByteBuffer.allocate(1_400);
        sealer.seal(ByteBuffer.wrap(frame), sealed);
        assertEquals(1_400, sealed.remaining());

        ByteBuffer plain = ByteBuffer.allocate(1_400);
        assertEquals(Verdict.OPENED, new EnvelopeCodec().receive(sealed.duplicate(), ring, false, plain));
        ByteBuffer out = ByteBuffer.allocate(1_400);
        assertTrue(sealer.open(sealed, out));
        assertEquals(0, sealed.position(), "position untouched");
        byte[] opened = new byte[out.remaining()];
        out.get(opened);
        assertArrayEquals(frame, opened);

        sealed.put(100, (byte) (sealed.get(100) ^ 1));
        assertFalse(sealer.open(sealed, out), "tampered");
        assertFalse(sealer.open(ByteBuffer.wrap(frame), out), "plaintext is not a sealed datagram");
        assertFalse(new Sealer(Keyring.of(Keys.key(16, 1))).open(sealed, out), "another keyring");
        assertThrows(IllegalArgumentException.class,
                () -> sealer.seal(ByteBuffer.wrap(frame), ByteBuffer.allocate(1_399)));
    }
}
