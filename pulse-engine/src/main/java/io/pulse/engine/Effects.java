package io.pulse.engine;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where a {@link ProtocolNode}'s outputs go: the seam between the pure protocol and whoever drives it (the real
 * runtime, or the simulator).
 *
 * <p>Called only from inside a {@code ProtocolNode} input method, on the driver's thread. Implementations must not
 * call back into the node.
 */
public interface Effects {

    /**
     * Sends a frame. The buffer (position 0 to limit) is the node's and is reused after this call returns: copy
     * or transmit it before returning.
     */
    void send(Identifier to, ByteBuffer frame);

    /** Publishes a membership event (including {@link MembershipEvent.Failed}, which carries the failure). */
    void publish(MembershipEvent event);

    /**
     * A join attempt has been answered by {@code seedsAnswered} seeds. Called at most once per {@code join}, also
     * after {@link #joinTimedOut}, when a seed answers one of the retries that go on after it.
     */
    default void joined(int seedsAnswered) {
    }

    /**
     * No seed answered a join within {@link io.pulse.api.PulseConfig#joinTimeoutNs()}; {@code seeds} are the ones
     * asked (this node's own address left out). Called at most once per {@code join}. The node keeps retrying.
     */
    default void joinTimedOut(List<Identifier> seeds) {
    }
}
