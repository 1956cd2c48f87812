package io.pulse.transport.udp;

/** Why a datagram was dropped, each with its stable counter name ({@code dropped.<reason>}). */
enum DropReason {
    // sending
    /** The socket's send buffer was full: the non-blocking send wrote nothing. */
    SEND_BUFFER_FULL("dropped.sendBufferFull"),
    /** The payload was longer than {@code maxPayloadBytes()}. */
    OVERSIZED("dropped.oversized"),
    /** The transport was closed. */
    CLOSED("dropped.closed"),
    /** The operating system refused the send (no route, an address of the other family). */
    SEND_ERROR("dropped.sendError"),
    // receiving: before the envelope
    /** Longer than the transport's {@code maxDatagramBytes}: a peer configured for larger datagrams, or a flood. */
    TOO_LONG("dropped.tooLong"),
    // receiving: the envelope
    TRUNCATED("dropped.truncated"),
    BAD_MAGIC("dropped.badMagic"),
    BAD_VERSION("dropped.badVersion"),
    PLAINTEXT_REFUSED("dropped.plaintextRefused"),
    SEALED_WITHOUT_KEY("dropped.sealedWithoutKey"),
    UNKNOWN_KEY("dropped.unknownKey"),
    FAILED_TO_OPEN("dropped.failedToOpen"),
    // receiving: after the envelope
    /** The handler threw; the datagram counts as dropped and the loop goes on. */
    HANDLER_ERROR("dropped.handlerError");

    private final String counterName;

    DropReason(String counterName) {
        this.counterName = counterName;
    }

    /** The name under which {@link UdpTransport#counters()} reports it. */
    String counterName() {
        return counterName;
    }
}
