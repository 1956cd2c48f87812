/**
 * The pulse protocol (SWIM with Lifeguard, plus the Go package's heartbeat roles) as a pure state machine, and
 * the real-time runtime that drives it on a live process.
 *
 * <p>JCTools and HdrHistogram are used inside and never appear
 * in an exported signature.
 */
module io.pulse.engine {
    requires transitive io.pulse.api;
    requires org.jctools.core;
    requires HdrHistogram;
    // JCTools reads sun.misc.Unsafe; without this the engine fails on the module path unless the application
    // happens to resolve jdk.unsupported itself
    requires jdk.unsupported;

    exports io.pulse.engine;


    uses io.pulse.spi.TransportProvider;
}
