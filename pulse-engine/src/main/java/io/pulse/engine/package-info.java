/**
 * The protocol engine's entry points.
 *
 * <p><b>Owns</b> the protocol state machine (pure: inputs stamped with the time in, datagrams, timers and events
 * out) and the runtime that drives it with a real clock, one event-loop thread per node.
 *
 * <p><b>May touch</b> {@code io.pulse.api} and {@code io.pulse.spi}; JCTools and HdrHistogram internally. The
 * state machine never reads a clock, sleeps, starts a thread, touches a socket or draws unseeded randomness; a test
 * guards this.
 */
package io.pulse.engine;
