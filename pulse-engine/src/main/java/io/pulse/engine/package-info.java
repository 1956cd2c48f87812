/**
 * The protocol engine's entry points.
 *
 * <p><b>Owns</b> the protocol state machine (pure: inputs stamped with the time in, datagrams, timers and events
 * out) and the runtime that drives it with a real clock ({@code PulseNode}).
 *
 * <p><b>Threading.</b> {@code ProtocolNode} is not thread-safe: one thread at a time drives it. In {@code PulseNode}
 * that is whichever thread holds the node's lock (this differs from the design's first sketch, a single event-loop
 * thread, on purpose: it saves a hand-off and a wake-up per datagram): the transport's I/O thread handles an inbound
 * datagram in place when the node is free, an application thread runs its own API call, and one loop thread per node
 * fires timers; datagrams that find the node busy wait in a small bounded queue drained by the lock holder. User
 * code (subscribers, a join's continuations) never runs under the lock nor on the I/O thread: events go to
 * delivery threads, a join's future is completed on a short-lived callback thread (or, over a transport that owns
 * time, as a clock task after the input that completed it).
 *
 * <p><b>May touch</b> {@code io.pulse.api} and {@code io.pulse.spi}; JCTools and HdrHistogram internally. The
 * state machine never reads a clock, sleeps, starts a thread, touches a socket or draws unseeded randomness; a test
 * guards this.
 */
package io.pulse.engine;
