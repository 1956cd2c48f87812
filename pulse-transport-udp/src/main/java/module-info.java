/** pulse over UDP: NIO datagrams and authenticated encryption. Provides the transport named "udp". */
module io.pulse.transport.udp {
    requires transitive io.pulse.api;
    requires io.pulse.engine;

}
