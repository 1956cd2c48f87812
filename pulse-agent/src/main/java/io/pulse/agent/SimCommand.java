package io.pulse.agent;

import io.pulse.transport.sim.Durations;
import io.pulse.transport.sim.Fault;
import io.pulse.transport.sim.Latency;
import io.pulse.transport.sim.RunReport;
import io.pulse.transport.sim.RunSpec;
import io.pulse.transport.sim.Runner;
import io.pulse.transport.sim.Schedule;
import io.pulse.transport.sim.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse sim}: a deterministic simulation of a cluster, with faults, and its report.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulates a cluster of full nodes on a virtual clock and a seeded network, injects faults, "
                + "and reports how fast failures were detected, the false alarms, the load and the convergence. "
                + "The same flags and seed give the same run, bit for bit (compare the digest)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./pulse sim --nodes 1000 --duration 10m --crash 5 --seed 1 --report r.html",
            "  ./pulse sim --nodes 100 --loss 0.1 --latency lognormal:2ms/50ms --json",
            "  ./pulse sim --nodes 50 --slow 3 --slow-factor 20 --local-health off",
            "  ./pulse sim --nodes 100 --partition 20s --schedule faults.txt",
            "",
            "Schedule file format (one statement per line, or separated by ';', '#' comments):",
            "  at 30s crash 3          at 90s restart 3 via 0       at 40s pause 7 for 5s",
            "  at 100s slow 4 x10 for 30s       at 120s leave 5",
            "  at 60s partition 0-49 | 50-99 for 20s     at 70s block 3 -> 4 for 10s (or <->)",
            "  at 80s loss 0.2   at 80s duplicate 0.01   at 80s reorder 0.05 within 10ms",
            "  at 80s latency lognormal:2ms/50ms",
            "",
            "Exit status: 0 when the run completed (false alarms are reported, not failures), 2 for a bad flag."})
public final class SimCommand implements Callable<Integer> {

    private static final long S = 1_000_000_000L;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", description = "Cluster size, 1 to 1048576 (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int nodes;

    @Option(names = "--duration", paramLabel = "D", converter = DurationNs.class, defaultValue = "10m",
            description = "Virtual time to simulate, such as 600s or 10m (default: ${DEFAULT-VALUE}).")
    long durationNs;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "The master seed: same seed, same run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--preset", paramLabel = "lan|wan|local", defaultValue = "lan", converter = PresetName.class,
            description = "Protocol configuration preset, and the network that goes with it (default: "
                    + "${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--local-health", paramLabel = "on|off", converter = OnOff.class, arity = "1",
            description = "Lifeguard's local health (default: on, as in the preset).")
    Boolean localHealth;

    @Option(names = "--direct-monitor-threshold", paramLabel = "N",
            description = "Hybrid mode: while the cluster has at most N members every member is monitored directly,"
                    + " at about 2(N-1) datagrams per member per second (default: the preset's, 0: SWIM probing"
                    + " with Lifeguard alone; 100 is the Go package's value).")
    Integer directMonitorThreshold;

    @Option(names = "--loss", paramLabel = "P", converter = Probability.class,
            description = "Probability that a datagram is lost, in [0, 1) (default: 0).")
    Double loss;

    @Option(names = "--latency", paramLabel = "DIST", converter = LatencyConverter.class,
            description = "One-way delay: fixed:1ms, uniform:200us-1ms, normal:5ms/1ms or lognormal:2ms/50ms "
                    + "(median/p99) (default: the preset's network; lan: uniform:200us-1ms).")
    Latency latency;

    @Option(names = "--duplicate", paramLabel = "P", converter = Probability.class,
            description = "Probability that a datagram is delivered twice, in [0, 1) (default: 0).")
    Double duplicate;

    @Option(names = "--reorder", paramLabel = "P", converter = Probability.class,
            description = "Probability that a datagram is held back so later ones overtake it (default: 0).")
    Double reorder;

    @Option(names = "--reorder-within", paramLabel = "D", converter = DurationNs.class,
            description = "The longest hold-back of a reordered datagram (default: the preset network's, 5ms on "
                    + "lan).")
    Long reorderWithinNs;

    @Option(names = "--crash", paramLabel = "N", defaultValue = "0",
            description = "Crash N distinct members at seeded random times in the first 60%% of the run.")
    int crashes;

    @Option(names = "--pause", paramLabel = "N", defaultValue = "0",
            description = "Pause N members (a stop-the-world GC) at seeded random times, each for --pause-for.")
    int pauses;

    @Option(names = "--pause-for", paramLabel = "D", converter = DurationNs.class, defaultValue = "5s",
            description = "How long each --pause lasts (default: ${DEFAULT-VALUE}).")
    long pauseForNs;

    @Option(names = "--slow", paramLabel = "N", defaultValue = "0",
            description = "Make N members slow by --slow-factor from 10%% of the run to its end (a starved CPU).")
    int slows;

    @Option(names = "--slow-factor", paramLabel = "F", defaultValue = "10",
            description = "How slow --slow members are, 1 to 1000: each input is handled (F - 1) x --slow-unit late"
                    + " (default: ${DEFAULT-VALUE}).")
    double slowFactor;

    @Option(names = "--slow-unit", paramLabel = "D", converter = DurationNs.class, defaultValue = "100ms",
            description = "The delay unit of slow members (default: ${DEFAULT-VALUE}).")
    long slowUnitNs;

    @Option(names = "--partition", paramLabel = "D", converter = DurationNs.class,
            description = "Split the cluster in two halves at a third of the run, for D.")
    Long partitionNs;

    @Option(names = "--schedule", paramLabel = "FILE",
            description = "Read more faults from FILE (the format below).")
    Path scheduleFile;

    @Option(names = "--faults", paramLabel = "TEXT",
            description = "More faults, inline: 'at 30s crash 3; at 60s pause 7 for 5s'.")
    String faultsText;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout (fields in README).")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Write a self-contained HTML report with charts (works offline).")
    Path htmlReport;

    @Option(names = "--no-progress", description = "No progress bar on stderr (there is none when not run from a "
            + "terminal either).")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        RunSpec runSpec = spec();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunReport report;
        // the bar redraws one line with carriage returns: only for a person at a terminal
        try (SimProgress progress = new SimProgress(!noProgress && System.console() != null, err)) {
            report = Runner.run(runSpec, progress);
        }
        if (json) {
            out.println(ReportJson.write(report));
        } else {
            out.print(report.summary());
            out.println("replay: " + runSpec.commandLine());
        }
        out.flush();
        if (htmlReport != null) {
            try {
                Files.writeString(htmlReport, HtmlReport.render(report), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("pulse sim: cannot write --report " + htmlReport + ": " + e.getMessage());
                err.flush();
                return CliErrors.EXIT_FAILURE;
            }
            if (!json) {
                out.println("report: " + htmlReport.toAbsolutePath());
                out.flush();
            }
        }
        return 0;
    }

    /** The run the flags describe; a flag with an impossible value is a {@link CommandLine.ParameterException}. */
    RunSpec spec() {
        check(nodes >= 1 && nodes <= 1 << 20, "--nodes", "a cluster size in [1, 1048576], was " + nodes);
        check(durationNs > 0, "--duration", "a positive duration such as 600s or 10m");
        check(crashes >= 0 && crashes < nodes, "--crash", "a count in [0, " + (nodes - 1) + "] (fewer than --nodes),"
                + " was " + crashes);
        check(pauses >= 0 && pauses <= nodes, "--pause", "a count in [0, " + nodes + "], was " + pauses);
        check(pauseForNs > 0, "--pause-for", "a positive duration such as 5s");
        check(slows >= 0 && slows <= nodes, "--slow", "a count in [0, " + nodes + "], was " + slows);
        check(slowFactor >= 1 && slowFactor <= 1000, "--slow-factor", "a factor in [1, 1000], was " + slowFactor);
        check(slowUnitNs <= 10 * S, "--slow-unit", "a duration up to 10s");
        check(partitionNs == null || partitionNs > 0, "--partition", "a positive duration such as 20s");
        check(directMonitorThreshold == null || directMonitorThreshold >= 0, "--direct-monitor-threshold",
                "a count of at least 0");
        check(partitionNs == null || nodes >= 2, "--partition", "at least 2 --nodes to split");

        RunSpec base = RunSpec.of(nodes, seed, durationNs, preset);
        Simulation.Network net = base.network();
        if (latency != null) {
            net = net.withLatency(latency);
        }
        if (loss != null) {
            net = net.withLoss(loss);
        }
        if (duplicate != null) {
            net = net.withDuplicate(duplicate);
        }
        if (reorder != null || reorderWithinNs != null) {
            long within = reorderWithinNs != null ? reorderWithinNs : net.reorderDelayNs();
            check(within <= 60 * S, "--reorder-within", "a duration up to 60s");
            net = net.withReorder(reorder != null ? reorder : net.reorder(), within);
        }
        Schedule schedule = generated();
        if (scheduleFile != null) {
            String text;
            try {
                text = Files.readString(scheduleFile, StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                throw bad("--schedule", "a readable file, but " + scheduleFile + " does not exist");
            } catch (IOException e) {
                throw bad("--schedule", "a readable file, but " + scheduleFile + " cannot be read: "
                        + e.getMessage());
            }
            schedule = schedule.with(parse("--schedule", scheduleFile + ": ", text));
        }
        if (faultsText != null) {
            schedule = schedule.with(parse("--faults", "", faultsText));
        }
        try {
            schedule.validate(nodes);
        } catch (IllegalArgumentException e) {
            throw bad(scheduleFile != null ? "--schedule" : "--faults", "faults naming nodes below --nodes: "
                    + e.getMessage());
        }
        return new RunSpec(nodes, seed, durationNs, preset, localHealth == null || localHealth,
                directMonitorThreshold != null ? directMonitorThreshold
                        : RunSpec.presetConfig(preset).directMonitorThreshold(),
                net, schedule, slowUnitNs);
    }

    /** The faults --crash, --pause, --slow and --partition ask for, drawn from the seed. */
    private Schedule generated() {
        Schedule s = Schedule.randomCrashes(nodes, crashes, durationNs / 10, durationNs * 6 / 10, seed);
        SplittableRandom r = new SplittableRandom(seed ^ 0x3c6ef372fe94f82bL);
        List<Fault> more = new ArrayList<>();
        for (int k = 0; k < pauses; k++) {
            long at = ms(durationNs / 10 + r.nextLong(Math.max(1, durationNs * 6 / 10)));
            more.add(new Fault.Pause(at, r.nextInt(nodes), pauseForNs));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            order.add(i);
        }
        for (int k = 0; k < slows; k++) {
            int j = k + r.nextInt(nodes - k);
            java.util.Collections.swap(order, k, j);
            more.add(new Fault.Slow(ms(durationNs / 10), order.get(k), slowFactor, Fault.FOREVER));
        }
        if (partitionNs != null) {
            List<Integer> a = new ArrayList<>();
            List<Integer> b = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                (i < nodes / 2 ? a : b).add(i);
            }
            more.add(new Fault.Partition(ms(durationNs / 3), List.of(a, b), partitionNs));
        }
        return s.with(new Schedule(more));
    }

    private static long ms(long ns) {
        return ns / 1_000_000L * 1_000_000L;
    }

    private Schedule parse(String flag, String prefix, String text) {
        try {
            return Schedule.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(flag, "a fault schedule; " + prefix + e.getMessage());
        }
    }

    private void check(boolean ok, String flag, String accepts) {
        if (!ok) {
            throw bad(flag, accepts);
        }
    }

    private CommandLine.ParameterException bad(String flag, String accepts) {
        return new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '" + flag
                + "': expected " + accepts);
    }

    /** picocli: a duration in the simulator's form. */
    static final class DurationNs implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "': expected a duration such as 600s, 10m, 1.5s or 500ms");
            }
        }
    }

    /** picocli: a probability in [0, 1). */
    static final class Probability implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                double p = Double.parseDouble(value);
                if (p >= 0 && p < 1) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new CommandLine.TypeConversionException("'" + value
                    + "': expected a probability in [0, 1) such as 0.05");
        }
    }

    /** picocli: a latency distribution. */
    static final class LatencyConverter implements CommandLine.ITypeConverter<Latency> {
        @Override
        public Latency convert(String value) {
            try {
                return Latency.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': expected fixed:1ms, "
                        + "uniform:200us-1ms, normal:5ms/1ms or lognormal:2ms/50ms (median/p99)");
            }
        }
    }

    /** picocli: lan, wan or local. */
    static final class PresetName implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.strip().toLowerCase(java.util.Locale.ROOT);
            if (v.equals("lan") || v.equals("wan") || v.equals("local")) {
                return v;
            }
            throw new CommandLine.TypeConversionException("'" + value + "': expected lan, wan or local");
        }
    }

    /** picocli: on or off. */
    static final class OnOff implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true", "yes":
                    return true;
                case "off", "false", "no":
                    return false;
                default:
                    throw new CommandLine.TypeConversionException("'" + value + "': expected on or off");
            }
        }
    }
}
