package io.pulse.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's counters: plain longs, written only by the node's event loop, read as a snapshot.
 *
 * <p>Names are stable: the agent exposes them as metrics, and tools read them.
 */
public final class Counters {

    public static final int PROBES_SENT = 0;
    public static final int ACKS_RECEIVED = 1;
    public static final int ACKS_SENT = 2;
    public static final int INDIRECT_PROBES_SENT = 3;
    public static final int NACKS_SENT = 4;
    public static final int NACKS_RECEIVED = 5;
    public static final int SUSPICIONS = 6;
    public static final int REFUTATIONS = 7;
    public static final int DEATHS = 8;
    public static final int FALSE_SUSPICIONS_REFUTED = 9;
    public static final int DATAGRAMS_IN = 10;
    public static final int DATAGRAMS_OUT = 11;
    public static final int BYTES_IN = 12;
    public static final int BYTES_OUT = 13;
    public static final int UPDATES_SENT = 14;
    public static final int UPDATES_RECEIVED = 15;
    public static final int PUSH_PULLS = 16;
    public static final int MISADDRESSED_PINGS = 17;
    public static final int LATE_ACKS = 18;
    public static final int GOSSIP_ROUNDS = 19;
    public static final int REJECTED_METADATA = 20;
    public static final int ACCUSATIONS_ANSWERED = 21;
    public static final int ACCUSATION_ANSWERS_HELD = 22;
    public static final int SUSPICION_CHECKS = 23;
    public static final int SUSPICION_REMINDERS = 24;
    private static final int BASE = 25;

    private static final String[] NAMES = {"probesSent", "acksReceived", "acksSent", "indirectProbesSent",
        "nacksSent", "nacksReceived", "suspicions", "refutations", "deaths", "falseSuspicionsRefuted",
        "datagramsIn", "datagramsOut", "bytesIn", "bytesOut", "updatesSent", "updatesReceived", "pushPulls",
        "misaddressedPings", "lateAcks", "gossipRounds", "rejectedMetadata", "accusationsAnswered",
        "accusationAnswersHeld", "suspicionChecks",
        "suspicionReminders"};

    private final long[] values = new long[BASE + FrameReader.NAMES.length];

    /** Adds one to a counter. */
    public void inc(int counter) {
        values[counter]++;
    }

    /** Adds {@code n} to a counter. */
    public void add(int counter, long n) {
        values[counter] += n;
    }

    /** Counts a datagram dropped for {@code reason} (a {@link FrameReader} code). */
    public void dropped(int reason) {
        values[BASE + reason]++;
    }

    /** One counter's value. */
    public long get(int counter) {
        return values[counter];
    }

    /** Every counter by name; drops as {@code dropped.<reason>}. Ordered as declared. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < BASE; i++) {
            m.put(NAMES[i], values[i]);
        }
        for (int r = 1; r < FrameReader.NAMES.length; r++) {
            m.put("dropped." + FrameReader.NAMES[r], values[BASE + r]);
        }
        return m;
    }
}
