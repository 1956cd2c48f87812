/**
 * The UDP transport: pulse's datagrams over an NIO {@link java.nio.channels.DatagramChannel}, optionally sealed
 * with AES-GCM.
 *
 * <p><b>Owns</b> the datagram channel, its I/O thread and buffers, the envelope around the engine's frames (the
 * magic, version and flags bytes, checked on receipt) and the sealing of whole frames with a
 * {@link io.pulse.transport.udp.Keyring}. The byte layout is in {@code docs/wire-format.md}, section "Envelope and
 * sealing", and in {@code Envelope}'s Javadoc.
 *
 * <p><b>May touch</b> {@code io.pulse.api} and {@code io.pulse.spi} only. It never parses the engine's messages:
 * a frame is opaque past its ninth byte, so the engine's codec and this transport evolve apart.
 *
 * <p><b>No stream.</b> Unlike memberlist, which opens TCP beside UDP for push-pull, pulse's state transfer is a
 * sequence of independent datagrams, each a self-contained batch of membership updates that merges idempotently;
 * nothing is reassembled, so nothing here needs a connection, a timeout or a stream-size bound.
 *
 * <p><b>Threading.</b> One I/O thread per transport, a daemon named {@code pulse-udp-<port>}, reads the channel,
 * opens sealed datagrams and calls the handler; it is the only thread that touches the receive buffers and the
 * opening cipher. {@code send} may be called from any thread: it seals with a cipher owned by the calling thread
 * (a {@link java.lang.ThreadLocal}) and writes to a non-blocking channel, so it never waits on a lock or the
 * network. Keyrings are immutable values; the transport swaps its keyring atomically.
 *
 * <p><b>Bad input</b> from the network is checked, counted by reason and dropped; nothing is thrown out of the
 * receive loop, not even by the handler.
 */
package io.pulse.transport.udp;
