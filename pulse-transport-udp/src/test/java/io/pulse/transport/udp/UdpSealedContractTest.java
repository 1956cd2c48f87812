package io.pulse.transport.udp;

import io.pulse.api.Identifier;
import io.pulse.spi.Transport;

/** The transport contract over UDP on IPv4 loopback, every datagram sealed with a 128-bit key. */
class UdpSealedContractTest extends TransportContractTest {

    static final Keyring KEYRING = Keyring.of(Keys.key(16, 1));

    @Override
    protected Transport open() throws Exception {
        return UdpTransport.builder().bind(Identifier.parse("127.0.0.1:0")).keyring(KEYRING)
                .receiveBufferBytes(1 << 21).open();
    }
}
