/**
 * The transport SPI: how a pulse node sends and receives datagrams, and, for a simulated network, how it learns
 * the time.
 *
 * <p><b>Owns</b> the {@link io.pulse.spi.Transport} contract and the {@link io.pulse.spi.TransportProvider}s found
 * by {@link java.util.ServiceLoader} through {@link io.pulse.spi.Transports#provider(String)}.
 *
 * <p><b>The contract</b>, small and explicit: datagrams are best effort (they may be lost, duplicated or
 * reordered); {@link io.pulse.spi.Transport#send} never blocks (a full buffer is a counted drop); received datagrams
 * go to one {@link io.pulse.spi.DatagramHandler} on one thread at a time. The SPI grows only by {@code default}
 * methods, so providers written against an older pulse keep working.
 *
 * <p><b>Time.</b> A real transport leaves time to the node's runtime (the wall clock and its own timers). A
 * simulated transport owns time: {@link io.pulse.spi.Transport#clock()} returns a {@link io.pulse.spi.TransportClock}
 * whose virtual clock and timers the runtime then uses instead, running every protocol step on the simulator's
 * thread, so that a node built over the simulated network is as deterministic as the simulator.
 */
package io.pulse.spi;
