package io.pulse.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A change in a node's view of the membership, published to subscribers of {@link FullNode#subscribe}.
 *
 * <p>Every event names the member, the incarnation the change was made at, and when this node made it. Events
 * about one member reach a subscriber in the order the node made the changes.
 */
public sealed interface MembershipEvent {

    /** The member the event is about. */
    Identifier member();

    /** The member's incarnation at the change. */
    long incarnation();

    /** When this node made the change. */
    Instant at();

    /** A member was seen for the first time (or again after it had been declared dead or had left). */
    record Joined(Identifier member, long incarnation, Metadata metadata, Instant at) implements MembershipEvent {
        /** Rejects nulls. */
        public Joined {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A member stopped answering in time and is now suspected. */
    record Suspected(Identifier member, long incarnation, Instant at) implements MembershipEvent {
        /** Rejects nulls. */
        public Suspected {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A suspected member is alive again: it refuted the suspicion with a higher incarnation, or this node heard it
     * answer. When the refutation carries new metadata, an {@link Updated} with it follows at once.
     */
    record Alive(Identifier member, long incarnation, Instant at) implements MembershipEvent {
        /** Rejects nulls. */
        public Alive {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A member was declared dead; the failure notification carries the details. */
    record Failed(Identifier member, long incarnation, FailureMessage failure, Instant at)
            implements MembershipEvent {
        /** Rejects nulls. */
        public Failed {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A member left gracefully. This is not a failure. */
    record Left(Identifier member, long incarnation, Instant at) implements MembershipEvent {
        /** Rejects nulls. */
        public Left {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A member published new metadata: while ALIVE, or in the refutation that ended a suspicion (just after that
     * {@link Alive}). A member seen again after it was declared dead or had left is {@link Joined} instead, which
     * carries its metadata.
     */
    record Updated(Identifier member, long incarnation, Metadata metadata, Instant at) implements MembershipEvent {
        /** Rejects nulls. */
        public Updated {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(at, "at");
        }
    }
}
