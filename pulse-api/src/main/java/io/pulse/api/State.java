package io.pulse.api;

/**
 * What a node believes about a member.
 *
 * <p>The Go package had ALIVE, DEAD, PENDING and SUSPECT; pulse adds LEFT, because a member that said goodbye has
 * not failed and must never raise a {@link FailureMessage}.
 */
public enum State {
    /** Answered a pulse, directly or through a peer, within the protocol's time bound (or is gossiped alive). */
    ALIVE,
    /** Failed to answer in time; it has the suspicion timeout to refute before it is declared {@link #DEAD}. */
    SUSPECT,
    /** Declared failed: the suspicion expired, or a coordinator exhausted its retries and indirect pulses. */
    DEAD,
    /** First contact was attempted and has not been answered yet. */
    PENDING,
    /** Left the cluster gracefully. Not a failure: no {@link FailureMessage} is raised for it. */
    LEFT;

    /** Whether the member is believed to be running: {@link #ALIVE} or {@link #SUSPECT}. */
    public boolean isRunning() {
        return this == ALIVE || this == SUSPECT;
    }

    /** Whether the member is gone for good at its current incarnation: {@link #DEAD} or {@link #LEFT}. */
    public boolean isGone() {
        return this == DEAD || this == LEFT;
    }
}
