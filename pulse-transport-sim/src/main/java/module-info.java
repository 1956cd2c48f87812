/**
 * pulse's deterministic simulator: a virtual clock, one queue of timed events, a seeded network model, node faults
 * and the run report; and the transport named {@code "sim"} ({@link io.pulse.transport.sim.SimTransportProvider}),
 * which runs real {@code PulseNode}s on a simulated network ({@link io.pulse.transport.sim.SimNetwork}) in virtual
 * time.
 */
module io.pulse.transport.sim {
    requires transitive io.pulse.api;
    requires transitive io.pulse.engine;

    exports io.pulse.transport.sim;

    provides io.pulse.spi.TransportProvider with io.pulse.transport.sim.SimTransportProvider;
}
