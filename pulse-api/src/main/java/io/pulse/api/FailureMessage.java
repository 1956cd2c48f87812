package io.pulse.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The notification that a member has failed: the Go package's {@code FailureMessage}.
 *
 * <p>Raised once per failure and per observing node, when that node declares the member {@link State#DEAD}
 * (never for {@link State#LEFT}). A coordinator raises it after {@code maxRetry} unanswered direct pulses and
 * unanswered indirect pulses; a full node raises it when a suspicion expires or when it learns of the death by
 * gossip.
 *
 * @param id             the failed member
 * @param state          always {@link State#DEAD} today; kept as a field so that the shape matches the Go package
 * @param incarnation    the incarnation that was declared dead
 * @param retryAttempts  direct pulses sent without an answer before indirect pulses were tried (0 when the death
 *                       was learned by gossip)
 * @param gossipPulse    the members that were asked to pulse it indirectly (empty when learned by gossip)
 * @param firstContact   when this node first heard from the member; empty if never
 * @param lastContact    when this node last heard from it; empty if never
 * @param declaredAt     when this node declared it dead
 */
public record FailureMessage(Identifier id, State state, long incarnation, int retryAttempts,
                             List<Identifier> gossipPulse, Optional<Instant> firstContact,
                             Optional<Instant> lastContact, Instant declaredAt) {

    /** Rejects nulls and negative counts; copies the list. */
    public FailureMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(firstContact, "firstContact");
        Objects.requireNonNull(lastContact, "lastContact");
        Objects.requireNonNull(declaredAt, "declaredAt");
        gossipPulse = List.copyOf(gossipPulse);
        if (retryAttempts < 0) {
            throw new IllegalArgumentException("retryAttempts must be >= 0, was " + retryAttempts);
        }
        if (incarnation < 0) {
            throw new IllegalArgumentException("incarnation must be >= 0, was " + incarnation);
        }
    }
}
