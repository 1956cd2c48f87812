package io.pulse.transport.sim;

import io.pulse.api.PulseConfig;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that determines a simulated run: the same spec gives the same run, bit for bit, on every machine.
 * It prints itself as the command line and as the Java call that replay it ({@link #commandLine()},
 * {@link #javaCall()}).
 *
 * @param nodes                  cluster size, in [1, 1,048,576]; every node is a full node, started with full
 *                               membership
 * @param seed                   the master seed every random choice derives from
 * @param durationNs             virtual time to run, in nanoseconds, positive
 * @param preset                 the {@link PulseConfig} preset: {@code lan}, {@code wan} or {@code local}
 * @param localHealth            whether Lifeguard's local health is on (the preset's default is on)
 * @param directMonitorThreshold the hybrid mode's threshold (see {@link PulseConfig#directMonitorThreshold()});
 *                               0 means SWIM probing from the first member
 * @param network                the network at the start (a schedule may change it)
 * @param schedule               the faults
 * @param slowUnitNs             the delay unit of slow nodes, in nanoseconds (see
 *                               {@link Simulation.Builder#slowUnit(java.time.Duration)})
 */
public record RunSpec(int nodes, long seed, long durationNs, String preset, boolean localHealth,
                      int directMonitorThreshold, Simulation.Network network, Schedule schedule, long slowUnitNs) {

    /** Default slow unit: 100 ms. */
    public static final long DEFAULT_SLOW_UNIT_NS = 100_000_000L;

    /** Rejects impossible values, naming them. */
    public RunSpec {
        if (nodes < 1 || nodes > 1 << 20) {
            throw new IllegalArgumentException("nodes must be in [1, 1048576], was " + nodes);
        }
        if (durationNs <= 0) {
            throw new IllegalArgumentException("duration must be positive, was " + durationNs + " ns");
        }
        Objects.requireNonNull(preset, "preset");
        presetConfig(preset);
        if (directMonitorThreshold < 0) {
            throw new IllegalArgumentException("directMonitorThreshold must not be negative, was "
                    + directMonitorThreshold);
        }
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(schedule, "schedule");
        schedule.validate(nodes);
        if (slowUnitNs < 0 || slowUnitNs > 10_000_000_000L) {
            throw new IllegalArgumentException("slowUnit must be in [0, 10s], was " + slowUnitNs + " ns");
        }
    }

    /**
     * A spec with the preset's defaults: local health on, the preset's direct-monitor threshold, the preset's
     * network ({@link Simulation.Network#lan()}, {@code wan()}, {@code local()}), no faults.
     */
    public static RunSpec of(int nodes, long seed, long durationNs, String preset) {
        return new RunSpec(nodes, seed, durationNs, preset, true, presetConfig(preset).directMonitorThreshold(),
                defaultNetwork(preset), Schedule.EMPTY, DEFAULT_SLOW_UNIT_NS);
    }

    /** The preset's configuration. */
    public static PulseConfig presetConfig(String preset) {
        return switch (preset) {
            case "lan" -> PulseConfig.lan();
            case "wan" -> PulseConfig.wan();
            case "local" -> PulseConfig.local();
            default -> throw new IllegalArgumentException("preset must be lan, wan or local, was '" + preset + "'");
        };
    }

    /** The network that goes with a preset. */
    public static Simulation.Network defaultNetwork(String preset) {
        return switch (preset) {
            case "lan" -> Simulation.Network.lan();
            case "wan" -> Simulation.Network.wan();
            case "local" -> Simulation.Network.local();
            default -> throw new IllegalArgumentException("preset must be lan, wan or local, was '" + preset + "'");
        };
    }

    /**
     * The configuration every node runs: the preset's, with this spec's switches, and a member table large enough
     * for the cluster ({@code maxMembers} raised to the node count where the preset's is smaller).
     */
    public PulseConfig config() {
        PulseConfig base = presetConfig(preset);
        return base.toBuilder().localHealth(localHealth)
                .directMonitorThreshold(directMonitorThreshold)
                .maxMembers(Math.max(base.maxMembers(), nodes)).build();
    }

    /** This spec with another seed. */
    public RunSpec withSeed(long newSeed) {
        return new RunSpec(nodes, newSeed, durationNs, preset, localHealth, directMonitorThreshold, network, schedule,
                slowUnitNs);
    }

    /** This spec with another schedule. */
    public RunSpec withSchedule(Schedule newSchedule) {
        return new RunSpec(nodes, seed, durationNs, preset, localHealth, directMonitorThreshold, network, newSchedule,
                slowUnitNs);
    }

    /** This spec with local health on or off. */
    public RunSpec withLocalHealth(boolean on) {
        return new RunSpec(nodes, seed, durationNs, preset, on, directMonitorThreshold, network, schedule,
                slowUnitNs);
    }

    /** This spec with another network. */
    public RunSpec withNetwork(Simulation.Network newNetwork) {
        return new RunSpec(nodes, seed, durationNs, preset, localHealth, directMonitorThreshold, newNetwork, schedule,
                slowUnitNs);
    }

    /** This spec with another direct-monitor threshold. */
    public RunSpec withDirectMonitorThreshold(int threshold) {
        return new RunSpec(nodes, seed, durationNs, preset, localHealth, threshold, network, schedule, slowUnitNs);
    }

    /** The {@code ./pulse sim} command line that replays this run. */
    public String commandLine() {
        StringBuilder sb = new StringBuilder("./pulse sim")
                .append(" --nodes ").append(nodes)
                .append(" --seed ").append(seed)
                .append(" --duration ").append(Durations.format(durationNs))
                .append(" --preset ").append(preset)
                .append(" --local-health ").append(localHealth ? "on" : "off")
                .append(" --direct-monitor-threshold ").append(directMonitorThreshold)
                .append(" --latency ").append(network.latency())
                .append(" --loss ").append(network.loss())
                .append(" --duplicate ").append(network.duplicate())
                .append(" --reorder ").append(network.reorder())
                .append(" --reorder-within ").append(Durations.format(network.reorderDelayNs()))
                .append(" --slow-unit ").append(Durations.format(slowUnitNs));
        if (!schedule.faults().isEmpty()) {
            sb.append(" --faults '").append(schedule.toLine()).append('\'');
        }
        return sb.toString();
    }

    /** The Java call that replays this run: {@code Runner.run(new RunSpec(...))}. */
    public String javaCall() {
        return String.format(Locale.ROOT, "Runner.run(new RunSpec(%d, %dL, %dL, \"%s\", %b, %d, "
                        + "new Simulation.Network(Latency.parse(\"%s\"), %s, %s, %s, %dL), Schedule.parse(\"%s\"), %dL))",
                nodes, seed, durationNs, preset, localHealth, directMonitorThreshold, network.latency(),
                network.loss(), network.duplicate(), network.reorder(), network.reorderDelayNs(), schedule.toLine(),
                slowUnitNs);
    }

    /** Seed, configuration, network, schedule and both replay forms, for a failing test's message. */
    public String describe() {
        return "seed " + seed + ", " + nodes + " nodes, " + Durations.format(durationNs) + " virtual\n"
                + "config: " + config() + "\n"
                + "network: " + network + "\n"
                + "schedule:\n" + (schedule.faults().isEmpty() ? "  (none)\n" : schedule.toString().indent(2))
                + "replay: " + javaCall() + "\n"
                + "    or: " + commandLine() + "\n";
    }
}
