/**
 * The public face of pulse: what a member is, what a node can be asked, and what it tells its users.
 *
 * <p><b>Owns</b> immutable values ({@link io.pulse.api.Identifier}, {@link io.pulse.api.Status},
 * {@link io.pulse.api.Metadata}, {@link io.pulse.api.FailureMessage}, the sealed
 * {@link io.pulse.api.MembershipEvent} family, {@link io.pulse.api.PulseConfig}) and the three roles of the Go
 * package pulse descends from: {@link io.pulse.api.Pulser} answers pulses, {@link io.pulse.api.Coordinator}
 * monitors pulsers directly, {@link io.pulse.api.FullNode} does both and gossips membership (SWIM + Lifeguard).
 *
 * <p><b>May touch</b> nothing outside {@code java.base}. The one method that touches the network,
 * {@link io.pulse.api.Identifier#resolve(String)}, is named for it and documented as blocking.
 *
 * <p><b>Threading.</b> Values are immutable and may be shared freely. Implementations of the role interfaces are
 * thread-safe.
 *
 * <p><b>Errors.</b> Misuse (a bad argument, a call after close) throws {@link java.lang.IllegalArgumentException}
 * or {@link java.lang.IllegalStateException} with a message naming the value; an expected absence is an
 * {@link java.util.Optional}, never {@code null}.
 */
package io.pulse.api;
