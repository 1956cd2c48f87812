/**
 * pulse's public API: the value types a member is described by ({@link io.pulse.api.Identifier},
 * {@link io.pulse.api.State}, {@link io.pulse.api.Status}), the notifications a node publishes
 * ({@link io.pulse.api.FailureMessage}, {@link io.pulse.api.MembershipEvent}), the three roles of a
 * node ({@link io.pulse.api.Pulser}, {@link io.pulse.api.Coordinator}, {@link io.pulse.api.FullNode}),
 * its configuration ({@link io.pulse.api.PulseConfig}), and the transport SPI ({@link io.pulse.spi}).
 *
 * <p>This module depends on nothing but {@code java.base}.
 */
module io.pulse.api {
    exports io.pulse.api;
    exports io.pulse.spi;

    uses io.pulse.spi.TransportProvider;
}
