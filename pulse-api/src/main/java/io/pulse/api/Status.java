package io.pulse.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node knows about one member at the moment it was asked: the Go package's {@code Status}, with the
 * incarnation and RTT percentiles that SWIM and Lifeguard add.
 *
 * @param id           the member
 * @param state        its state as this node sees it
 * @param incarnation  the member's incarnation number as this node last heard it (0 before any)
 * @param rtt          smoothed round-trip time of this node's direct pulses to it; empty before the first answer
 *                     or when the member is not directly monitored
 * @param rttP99       the 99th percentile of those round trips; empty under the same conditions
 * @param lastContact  when this node last heard from the member directly or indirectly; empty if never
 * @param firstContact when this node first heard from the member; empty if never
 * @param metadata     the member's metadata as last gossiped
 */
public record Status(Identifier id, State state, long incarnation, Optional<Duration> rtt,
                     Optional<Duration> rttP99, Optional<Instant> lastContact, Optional<Instant> firstContact,
                     Metadata metadata) {

    /** Rejects nulls and a negative incarnation. */
    public Status {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(rttP99, "rttP99");
        Objects.requireNonNull(lastContact, "lastContact");
        Objects.requireNonNull(firstContact, "firstContact");
        Objects.requireNonNull(metadata, "metadata");
        if (incarnation < 0) {
            throw new IllegalArgumentException("incarnation must be >= 0, was " + incarnation);
        }
    }
}
