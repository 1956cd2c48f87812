package io.pulse.transport.udp;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one transport. Thread-safe: senders and the I/O thread add, anyone reads a snapshot. */
final class Counters {

    private static final DropReason[] REASONS = DropReason.values();

    final LongAdder datagramsSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder datagramsReceived = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder datagramsDelivered = new LongAdder();
    final LongAdder receiveErrors = new LongAdder();
    final LongAdder ioWakeups = new LongAdder();
    private final LongAdder[] dropped = new LongAdder[REASONS.length];

    Counters() {
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    void drop(DropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    long dropped(DropReason reason) {
        return dropped[reason.ordinal()].sum();
    }

    /** Every counter by name, sorted, zeros included; see {@link UdpTransport#counters()}. */
    Map<String, Long> snapshot() {
        TreeMap<String, Long> m = new TreeMap<>();
        m.put("datagramsSent", datagramsSent.sum());
        m.put("bytesSent", bytesSent.sum());
        m.put("datagramsReceived", datagramsReceived.sum());
        m.put("bytesReceived", bytesReceived.sum());
        m.put("datagramsDelivered", datagramsDelivered.sum());
        m.put("receiveErrors", receiveErrors.sum());
        m.put("ioWakeups", ioWakeups.sum());
        for (DropReason r : REASONS) {
            m.put(r.counterName(), dropped[r.ordinal()].sum());
        }
        return Collections.unmodifiableMap(m);
    }
}
