/**
 * The UDP transport.
 *
 * <p><b>Owns</b> the NIO datagram channel, its I/O thread and buffers, and the sealing of datagrams with AES-GCM.
 *
 * <p><b>May touch</b> {@code io.pulse.api}, {@code io.pulse.spi} and the engine's exported wire constants; never the
 * engine's internals.
 */
package io.pulse.transport.udp;
