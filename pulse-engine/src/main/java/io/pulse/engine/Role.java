package io.pulse.engine;

/** The Go package's three roles. */
public enum Role {
    /** Answers pulses (pings and indirect ping requests) and nothing else. */
    PULSER,
    /** Answers pulses and monitors the pulsers it was given, directly; no gossip, no membership. */
    COORDINATOR,
    /** Answers, monitors and gossips membership: SWIM with Lifeguard. */
    FULL
}
