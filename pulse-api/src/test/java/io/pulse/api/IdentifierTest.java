package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.integers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

class IdentifierTest {

    /** Address bytes drawn from a generated seed, so that QuickTheories can report and replay the case. */
    private static Gen<byte[]> addresses(int length) {
        return longs().all().map(seed -> {
            byte[] out = new byte[length];
            new java.util.SplittableRandom(seed).nextBytes(out);
            return out;
        });
    }

    @Test
    void ipv4RoundTripsThroughText() {
        qt().forAll(addresses(4), integers().between(0, 65535)).checkAssert((addr, port) -> {
            Identifier id = Identifier.of(addr, port);
            Identifier back = Identifier.parse(id.toString());
            assertEquals(id, back);
            assertEquals(id.toString(), back.toString());
            assertEquals(id.hashCode(), back.hashCode());
        });
    }

    @Test
    void ipv6RoundTripsThroughText() {
        // sparse addresses exercise the "::" compression rules
        Gen<byte[]> sparse = addresses(16).zip(integers().between(0, 0xffff), (a, mask) -> {
            for (int g = 0; g < 8; g++) {
                if ((mask >>> g & 1) == 0) {
                    a[2 * g] = 0;
                    a[2 * g + 1] = 0;
                }
            }
            return a;
        });
        qt().forAll(sparse, integers().between(0, 65535)).checkAssert((addr, port) -> {
            Identifier id = Identifier.of(addr, port);
            Identifier back = Identifier.parse(id.toString());
            assertEquals(id, back);
            assertEquals(id.toString(), back.toString());
        });
    }

    @Test
    void ipv6TextAgreesWithTheJdk() throws Exception {
        qt().forAll(addresses(16)).checkAssert(addr -> {
            Identifier id = Identifier.of(addr, 1);
            try {
                InetAddress jdk = InetAddress.getByName(id.host());
                assertEquals(16, jdk.getAddress().length == 16 ? 16 : 4);
                if (jdk.getAddress().length == 16) {
                    assertEquals(java.util.Arrays.toString(addr), java.util.Arrays.toString(jdk.getAddress()));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.7:7946, 10.0.0.7:7946",
            "[::1]:7946, [::1]:7946",
            "[0:0:0:0:0:0:0:1]:80, [::1]:80",
            "[2001:DB8:0:0:1:0:0:1]:1, [2001:db8::1:0:0:1]:1",
            "[2001:db8:0:0:0:0:2:1]:1, [2001:db8::2:1]:1",
            "[2001:db8:0:1:1:1:1:1]:1, [2001:db8:0:1:1:1:1:1]:1",
            "[::ffff:192.0.2.1]:9, [::ffff:c000:201]:9",
            "[::]:0, [::]:0",
            "0.0.0.0:65535, 0.0.0.0:65535",
    })
    void canonicalForms(String input, String canonical) {
        assertEquals(canonical, Identifier.parse(input).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "10.0.0.7", "10.0.0.7:", "10.0.0.7:65536", "10.0.0.7:-1", "10.0.0.7:99999999", "10.0.0.7:80a",
            "256.0.0.1:80", "10.0.0:80", "10.0.0.7.8:80", "010.0.0.7:80", "10..0.7:80", " 10.0.0.7:80",
            "::1:7946", "[::1]", "[::1]7946", "[::1:7946", "[1:2:3:4:5:6:7:8:9]:1", "[1::2::3]:1", "[:1]:1",
            "[1:]:1", "[12345::]:1", "[fe80::1%eth0]:1", "[10.0.0.7]:80", "localhost:80", "node-1.example:7946",
            ":80", "[]:80",
    })
    void rejectsMalformedInputQuotingIt(String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Identifier.parse(input));
        assertTrue(e.getMessage().contains("\"" + input + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void hostNamesAreRejectedWithAPointerToResolve() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Identifier.parse("localhost:7946"));
        assertTrue(e.getMessage().contains("host name"), e.getMessage());
        assertTrue(e.getMessage().contains("Identifier.resolve"), e.getMessage());
    }

    @Test
    void resolveAcceptsLiteralsAndNames() {
        assertEquals(Identifier.parse("127.0.0.1:5"), Identifier.resolve("127.0.0.1:5"));
        Identifier local = Identifier.resolve("localhost:5");
        assertEquals(5, local.port());
        assertTrue(local.toSocketAddress().getAddress().isLoopbackAddress());
        assertThrows(IllegalArgumentException.class, () -> Identifier.resolve("localhost:70000"));
    }

    @Test
    void addrToIdentifierAndBack() {
        Identifier id = Identifier.of("212.189.35.68", 3005);
        assertEquals("212.189.35.68:3005", id.toString());
        assertEquals("212.189.35.68", id.host());
        assertEquals(3005, id.port());
        Identifier v6 = Identifier.of("[2001:db8::1]", 1);
        assertEquals("2001:db8::1", v6.host());
        assertEquals(v6, Identifier.of("2001:db8::1", 1));
        assertTrue(v6.isIpv6());
        assertFalse(id.isIpv6());
        assertThrows(IllegalArgumentException.class, () -> Identifier.of("example.com", 1));
        assertThrows(IllegalArgumentException.class, () -> Identifier.of("1.2.3.4", 65536));
        assertThrows(IllegalArgumentException.class, () -> Identifier.of(new byte[5], 1));
    }

    @Test
    void socketAddressRoundTrip() {
        Identifier id = Identifier.parse("[::1]:9000");
        InetSocketAddress sa = id.toSocketAddress();
        assertEquals(id, Identifier.of(sa));
        assertThrows(IllegalArgumentException.class,
                () -> Identifier.of(InetSocketAddress.createUnresolved("example.com", 1)));
    }

    @Test
    void mappedIpv6IsNotTheIpv4Address() {
        assertNotEquals(Identifier.parse("1.2.3.4:5"), Identifier.parse("[::ffff:1.2.3.4]:5"));
    }

    @Test
    void ordersIpv4BeforeIpv6ThenByBytesThenPort() {
        Identifier a = Identifier.parse("9.0.0.1:2");
        Identifier b = Identifier.parse("10.0.0.1:1");
        Identifier c = Identifier.parse("10.0.0.1:2");
        Identifier d = Identifier.parse("[::1]:1");
        assertTrue(a.compareTo(b) < 0);
        assertTrue(b.compareTo(c) < 0);
        assertTrue(c.compareTo(d) < 0);
        assertTrue(Identifier.parse("200.0.0.1:1").compareTo(Identifier.parse("100.0.0.1:1")) > 0);
    }
}
