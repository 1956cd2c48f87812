/**
 * pulse's deterministic simulator: a virtual clock, one queue of timed events, a seeded network model, node faults
 * and the run report. Provides the transport named "sim".
 */
module io.pulse.transport.sim {
    requires transitive io.pulse.api;
    requires transitive io.pulse.engine;

}
