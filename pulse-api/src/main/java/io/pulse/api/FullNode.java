package io.pulse.api;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A node that answers pulses, monitors members and gossips membership: the Go package's {@code FullNode}, which
 * was both a {@link Pulser} and a {@link Coordinator} and added gossip.
 *
 * <p>A full node runs SWIM with the Lifeguard extensions over every member it learns of: shuffled round-robin
 * probes, indirect probes, suspicion with refutation, piggybacked dissemination and periodic push-pull. Members added
 * with {@link #addPulser} are pinned: they stay directly monitored by this node, whatever the cluster's size.
 *
 * <p>Thread-safe: any thread may call any method.
 */
public interface FullNode extends Pulser, Coordinator {

    /**
     * Joins the cluster through one or more seeds. Completes with the number of seeds that answered once at least
     * one has; while none answers, the node retries with exponential backoff (bounded by the configuration) until
     * one does, {@code join} is called again, or the node is closed. If none has answered after
     * {@link PulseConfig#joinTimeoutNs()}, the stage completes exceptionally with a
     * {@link java.util.concurrent.TimeoutException} whose message names the seeds; the retries go on, so a seed
     * that comes up later still lets the node in (its {@link MembershipEvent.Joined} events tell). A later call
     * replaces the attempt, and the earlier stage completes exceptionally with a
     * {@link java.util.concurrent.CancellationException}.
     *
     * <p>The stage is never completed on the node's own threads while they drive the protocol: continuations
     * attached to it run without any lock of the node held, and may call the node, {@code close()} included.
     *
     * @throws IllegalArgumentException if {@code seeds} is empty
     */
    CompletionStage<Integer> join(Collection<Identifier> seeds);

    /**
     * Leaves gracefully: gossips {@link State#LEFT} for this node and waits up to {@code timeout} for the news to
     * spread before returning. The node stops answering and monitoring afterwards; {@link #close()} still has to be
     * called. Peers never raise a {@link FailureMessage} for a member that left.
     */
    void leave(Duration timeout);

    /** The members this node believes are running ({@link State#ALIVE} or {@link State#SUSPECT}), itself included. */
    List<Identifier> members();

    /** Publishes new metadata for this node; it is gossiped to every member. */
    void updateMetadata(Metadata metadata);

    /**
     * Registers a subscriber for membership events. Events are delivered on a thread of the node's own, never on
     * the protocol's event loop, in the order they happened; a subscriber that falls more than the configured
     * buffer behind loses the oldest undelivered events, counted in {@link Subscription#dropped()}.
     */
    Subscription subscribe(Consumer<? super MembershipEvent> subscriber);

    /** Stops the node without leaving (peers will see a failure) and releases every resource. Idempotent. */
    @Override
    void close();
}
