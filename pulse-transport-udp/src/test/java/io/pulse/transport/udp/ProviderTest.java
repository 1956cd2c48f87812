package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.spi.Transport;
import io.pulse.spi.TransportOptions;
import io.pulse.spi.TransportProvider;
import io.pulse.spi.Transports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderTest {

    private static final TransportOptions LOOPBACK = TransportOptions.bind(Identifier.parse("127.0.0.1:0"));

    private static IllegalArgumentException rejected(TransportOptions options) {
        return assertThrows(IllegalArgumentException.class,
                () -> Transports.provider("udp").open(options).close());
    }

    @Test
    void foundByName() throws Exception {
        TransportProvider p = Transports.provider("udp");
        assertInstanceOf(UdpTransportProvider.class, p);
        assertTrue(Transports.available().contains("udp"));
        try (Transport t = p.open(LOOPBACK)) {
            assertInstanceOf(UdpTransport.class, t);
            assertNotEquals(0, t.localAddress().port(), "the port actually bound");
            assertEquals(Identifier.parse("127.0.0.1:" + t.localAddress().port()), t.localAddress());
            assertEquals(UdpTransport.DEFAULT_DATAGRAM_BYTES, t.maxPayloadBytes());
        }
    }

    @Test
    void readsItsProperties(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keyring");
        Files.writeString(keys, Base64.getEncoder().encodeToString(Keys.key(32, 1)) + "\n");
        TransportOptions o = LOOPBACK.with("udp.maxDatagramBytes", "9000").with("udp.keyFile", keys.toString())
                .with("udp.receiveBufferBytes", "262144").with("udp.sendBufferBytes", "262144")
                .with("udp.acceptPlaintext", "true").with("udp.sealOutgoing", "false")
                .with("engine.somethingElse", "ignored here");
        try (UdpTransport t = (UdpTransport) Transports.provider("udp").open(o)) {
            assertEquals(9000 - UdpTransport.SEAL_OVERHEAD_BYTES, t.maxPayloadBytes());
            assertEquals(9000, t.maxDatagramBytes());
            assertTrue(t.keyring().isPresent());
            assertTrue(t.acceptPlaintext());
            assertEquals(false, t.sealOutgoing());
        }
    }

    @Test
    void badPropertiesNameTheKeyAndTheRange(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = rejected(LOOPBACK.with("udp.maxDatagramBytes", "100"));
        assertTrue(e.getMessage().contains("udp.maxDatagramBytes") && e.getMessage().contains("[512, 65507]"),
                e.getMessage());
        e = rejected(LOOPBACK.with("udp.maxDatagramBytes", "lots"));
        assertTrue(e.getMessage().contains("udp.maxDatagramBytes") && e.getMessage().contains("lots"), e.getMessage());
        e = rejected(LOOPBACK.with("udp.receiveBufferBytes", "99999999999"));
        assertTrue(e.getMessage().contains("udp.receiveBufferBytes") && e.getMessage().contains("[1024,"),
                e.getMessage());
        e = rejected(LOOPBACK.with("udp.sendBufferBytes", "12"));
        assertTrue(e.getMessage().contains("udp.sendBufferBytes"), e.getMessage());
        e = rejected(LOOPBACK.with("udp.acceptPlaintext", "yes"));
        assertTrue(e.getMessage().contains("udp.acceptPlaintext") && e.getMessage().contains("true or false"),
                e.getMessage());
        e = rejected(LOOPBACK.with("udp.key", "c2VjcmV0"));
        assertTrue(e.getMessage().contains("unknown property udp.key") && e.getMessage().contains("udp.keyFile"),
                e.getMessage());

        e = rejected(LOOPBACK.with("udp.keyFile", dir.resolve("missing").toString()));
        assertTrue(e.getMessage().contains("udp.keyFile") && e.getMessage().contains("missing"), e.getMessage());
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "# keys\nAAAA\n");
        e = rejected(LOOPBACK.with("udp.keyFile", bad.toString()));
        assertTrue(e.getMessage().contains("udp.keyFile") && e.getMessage().contains("line 2"), e.getMessage());

        Path good = dir.resolve("good");
        Files.writeString(good, Base64.getEncoder().encodeToString(Keys.key(16, 1)));
        e = rejected(LOOPBACK.with("udp.keyFile", good.toString()).with("udp.sealOutgoing", "false"));
        assertTrue(e.getMessage().contains("udp.sealOutgoing") && e.getMessage().contains("udp.acceptPlaintext"),
                e.getMessage());
    }

    @Test
    void aPortInUseIsAnIoExceptionNamingTheAddress() throws Exception {
        try (Transport first = Transports.provider("udp").open(LOOPBACK)) {
            Identifier taken = first.localAddress();
            IOException e = assertThrows(IOException.class,
                    () -> Transports.provider("udp").open(TransportOptions.bind(taken)).close());
            assertTrue(e.getMessage().contains(taken.toString()), e.getMessage());
        }
    }

    @Test
    void anAddressOfAnotherHostIsAnIoExceptionNamingIt() {
        Identifier notHere = Identifier.parse("192.0.2.1:7946"); // TEST-NET-1, never a local address
        IOException e = assertThrows(IOException.class,
                () -> Transports.provider("udp").open(TransportOptions.bind(notHere)).close());
        assertTrue(e.getMessage().contains("192.0.2.1:7946"), e.getMessage());
    }

    @Test
    void builderChecksItsSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UdpTransport.builder().maxDatagramBytes(65_508));
        assertTrue(e.getMessage().contains("maxDatagramBytes") && e.getMessage().contains("65508"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> UdpTransport.builder().open(), "no bind address");
        assertThrows(IllegalStateException.class, () -> UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0"))
                .keyring(Keyring.of(Keys.key(16, 1))).sealOutgoing(false).open());
    }

    @Test
    void aTransportWithoutAKeyringCannotStartSealingLater() throws Exception {
        try (UdpTransport t = UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).open()) {
            assertThrows(IllegalStateException.class, () -> t.keyring(Keyring.of(Keys.key(16, 1))));
            assertTrue(t.keyring().isEmpty());
        }
    }
}
