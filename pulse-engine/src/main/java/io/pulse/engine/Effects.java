package io.pulse.engine;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import java.nio.ByteBuffer;

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

    /** A join attempt has been answered by {@code seedsAnswered} seeds. Called once per {@code join}. */
    default void joined(int seedsAnswered) {
    }
}
