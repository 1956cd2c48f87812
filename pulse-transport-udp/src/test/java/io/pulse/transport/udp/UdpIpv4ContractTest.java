package io.pulse.transport.udp;

import io.pulse.api.Identifier;
import io.pulse.spi.Transport;

/** The transport contract over UDP on IPv4 loopback, plaintext. */
class UdpIpv4ContractTest extends TransportContractTest {

    @Override
    protected Transport open() throws Exception {
        return UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).receiveBufferBytes(1 << 21).open();
    }
}
