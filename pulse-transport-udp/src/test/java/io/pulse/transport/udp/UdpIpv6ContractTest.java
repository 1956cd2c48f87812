package io.pulse.transport.udp;

import io.pulse.api.Identifier;
import io.pulse.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The transport contract over UDP on IPv6 loopback ({@code [::1]}); skipped where the machine has no IPv6. */
class UdpIpv6ContractTest extends TransportContractTest {

    @BeforeAll
    static void requireIpv6Loopback() {
        Assumptions.assumeTrue(UdpIpv6ContractTest.ipv6LoopbackWorks(),
                "skipped: this machine cannot bind a UDP socket to [::1] (no IPv6 loopback)");
    }

    static boolean ipv6LoopbackWorks() {
        try (DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            c.bind(new InetSocketAddress(Identifier.parse("[::1]:0").toSocketAddress().getAddress(), 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    protected Transport open() throws Exception {
        return UdpTransport.builder().bind(Identifier.parse("[::1]:0")).receiveBufferBytes(1 << 21).open();
    }
}
