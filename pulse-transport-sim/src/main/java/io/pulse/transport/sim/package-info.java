/**
 * The simulator.
 *
 * <p><b>Owns</b> virtual time, the event queue ordered by (time, sequence), the network model and its seeded
 * randomness, node faults, and the report and trace digest of a run.
 *
 * <p><b>May touch</b> the engine's exported entry points. Single-threaded: a simulation runs on the thread that
 * calls it, and nothing in it reads the wall clock except the report's wall-time figure.
 */
package io.pulse.transport.sim;
