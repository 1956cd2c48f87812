package io.pulse.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransportsTest {

    @Test
    void findsAProviderByNameThroughServiceLoader() {
        assertEquals("loopback-test", Transports.provider("loopback-test").name());
        assertTrue(Transports.available().contains("loopback-test"));
    }

    @Test
    void aMissingNameListsTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transports.provider("carrier-pigeon"));
        assertEquals("no transport named \"carrier-pigeon\"; available: loopback-test", e.getMessage());
    }

    @Test
    void noProvidersAtAllSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Transports.provider("udp", List.of()));
        assertTrue(e.getMessage().contains("available: none"), e.getMessage());
    }

    @Test
    void namesAreSortedAndUnique() {
        TransportProvider b = new LoopbackTestProvider("b");
        TransportProvider a = new LoopbackTestProvider("a");
        assertEquals(List.of("a", "b"), Transports.available(List.of(b, a, b)));
        assertEquals("b", Transports.provider("b", List.of(a, b)).name());
    }
}
