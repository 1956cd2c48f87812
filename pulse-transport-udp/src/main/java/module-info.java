/**
 * pulse over UDP: NIO datagrams and authenticated encryption (AES-GCM with a rotating keyring). Provides the
 * transport named {@code "udp"}; embedding applications may also build one directly with
 * {@link io.pulse.transport.udp.UdpTransport#builder()}.
 *
 * <p>This module depends on {@code io.pulse.api} and {@code java.base} only: it never parses the engine's messages.
 */
module io.pulse.transport.udp {
    requires transitive io.pulse.api;

    exports io.pulse.transport.udp;

    provides io.pulse.spi.TransportProvider with io.pulse.transport.udp.UdpTransportProvider;
}
