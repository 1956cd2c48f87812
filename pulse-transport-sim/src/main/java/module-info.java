/**
 * pulse's deterministic simulator: a virtual clock, one queue of timed events, a seeded network model, node faults
 * and the run report.
 */
module io.pulse.transport.sim {
    requires transitive io.pulse.api;
    requires transitive io.pulse.engine;

    exports io.pulse.transport.sim;
}
