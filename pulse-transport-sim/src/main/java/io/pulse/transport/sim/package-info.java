/**
 * The simulator, and the transport named {@code "sim"}.
 *
 * <p><b>Owns</b> virtual time, the event queue ordered by (time, sequence), the network model and its seeded
 * randomness, node faults, and the report and trace digest of a run, with the referee that judges each DEAD
 * declaration by what its declarer could hear ({@code Referee}). Two drivers share the network model
 * ({@link io.pulse.transport.sim.Simulation.Network}, {@link io.pulse.transport.sim.Latency}) and the event queue:
 * {@link io.pulse.transport.sim.Simulation} drives thousands of bare {@code ProtocolNode}s itself, as fast as it
 * can, for the runner, the reports and the property tests; {@link io.pulse.transport.sim.SimNetwork} hands out
 * {@link io.pulse.transport.sim.SimTransport}s (also through {@link io.pulse.transport.sim.SimTransportProvider},
 * the provider named {@code "sim"}) over which an application builds real {@code PulseNode}s, API and all, that run
 * on its virtual clock.
 *
 * <p><b>May touch</b> the engine's exported entry points. Single-threaded: a simulation or a simulated network runs
 * on the thread that calls it, and nothing in it reads the wall clock except the report's wall-time figure.
 */
package io.pulse.transport.sim;
