package io.pulse.bench;

import io.pulse.transport.sim.Durations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The scale runner's flags, parsed and checked. Every rejection is one line that names the flag, the accepted
 * range and the value given, for example {@code "--loss must be a probability in [0, 1), was 1.5"}.
 *
 * @param nodes                  cluster sizes, run one after the other, each in [{@value #MIN_NODES},
 *                               {@value #MAX_NODES}]
 * @param durationNs             virtual time per run, in [1 s, 24 h]
 * @param loss                   independent packet loss, in [0, 1)
 * @param crashes                silent crashes per run at seeded times, in [0, smallest size − 1]
 * @param seed                   the master seed
 * @param directMonitorThreshold the hybrid mode's threshold, or -1 for the LAN preset's (see
 *                               {@code PulseConfig.directMonitorThreshold()}); 0 is SWIM probing alone
 * @param json                   where to write the figures as JSON, if anywhere
 * @param inProcess              run every size in this JVM instead of a fresh JVM per size
 * @param child                  this JVM is one size's child process (internal: prints one result line)
 * @param help                   print the usage and nothing else
 */
record ScaleOptions(List<Integer> nodes, long durationNs, double loss, int crashes, long seed,
                    int directMonitorThreshold, Optional<Path> json, boolean inProcess, boolean child, boolean help) {

    static final int MIN_NODES = 2;
    static final int MAX_NODES = 1 << 20;
    static final long MIN_DURATION_NS = 1_000_000_000L;
    static final long MAX_DURATION_NS = 24 * 3_600_000_000_000L;

    static final String USAGE = """
            Usage: java [JVM options] -cp pulse-bench/target/benchmarks.jar io.pulse.bench.ScaleRunner [flags]
              --nodes LIST       cluster sizes, comma-separated, each in [2, 1048576]   (default 100,1000,10000)
              --duration D       virtual time per run, in [1s, 24h], e.g. 90s, 10m      (default 10m)
              --loss P           independent packet loss, in [0, 1)                     (default 0.01)
              --crashes C        silent crashes per run, in [0, smallest size - 1]      (default 5)
              --seed S           master seed, any long                                  (default 1)
              --direct-monitor-threshold T  hybrid mode up to T members, in [0, 100000];
                                 0 = SWIM probing alone                   (default: the LAN preset's, 100)
              --json FILE        also write the figures as JSON to FILE
              --in-process       run every size in this JVM (default: a fresh JVM per size, started with
                                 this JVM's options, so that give -Xmx here: -Xmx12g for 10,000 nodes)
              --help             this text
            """;

    /** The defaults: n = 100, 1,000 and 10,000; 10 virtual minutes; 1% loss; 5 crashes; seed 1. */
    static ScaleOptions defaults() {
        return new ScaleOptions(List.of(100, 1000, 10_000), 600_000_000_000L, 0.01, 5, 1, -1, Optional.empty(),
                false, false, false);
    }

    /**
     * Parses {@code --flag value} and {@code --flag=value}.
     *
     * @throws IllegalArgumentException one line naming the flag, the accepted range and the value
     */
    static ScaleOptions parse(String... args) {
        ScaleOptions d = defaults();
        List<Integer> nodes = d.nodes;
        long durationNs = d.durationNs;
        double loss = d.loss;
        int crashes = d.crashes;
        boolean crashesGiven = false;
        long seed = d.seed;
        int threshold = d.directMonitorThreshold;
        Optional<Path> json = d.json;
        boolean inProcess = false;
        boolean child = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (flag) {
                case "--in-process", "--child", "--help", "-h" -> {
                    if (inline != null) {
                        throw new IllegalArgumentException(flag + " takes no value, was given '" + inline + "'");
                    }
                    switch (flag) {
                        case "--in-process" -> inProcess = true;
                        case "--child" -> child = true;
                        default -> help = true;
                    }
                }
                case "--nodes", "--duration", "--loss", "--crashes", "--seed", "--direct-monitor-threshold",
                     "--json" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(flag + " needs a value: " + accepted(flag));
                        }
                        value = args[++i];
                    }
                    switch (flag) {
                        case "--nodes" -> nodes = nodes(value);
                        case "--duration" -> durationNs = duration(value);
                        case "--loss" -> loss = loss(value);
                        case "--crashes" -> {
                            crashes = intIn("--crashes", value, 0, MAX_NODES - 1);
                            crashesGiven = true;
                        }
                        case "--seed" -> seed = seed(value);
                        case "--direct-monitor-threshold" ->
                                threshold = intIn("--direct-monitor-threshold", value, 0, 100_000);
                        default -> {
                            if (value.isBlank()) {
                                throw new IllegalArgumentException("--json needs a file name, was empty");
                            }
                            json = Optional.of(Path.of(value));
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown flag '" + arg + "'; accepted: --nodes,"
                        + " --duration, --loss, --crashes, --seed, --direct-monitor-threshold, --json,"
                        + " --in-process, --help");
            }
        }
        int smallest = nodes.stream().mapToInt(Integer::intValue).min().orElseThrow();
        if (crashes > smallest - 1) {
            throw new IllegalArgumentException("--crashes must be in [0, " + (smallest - 1) + "] (fewer than the"
                    + " smallest of --nodes, " + smallest + "), was " + crashes
                    + (crashesGiven ? "" : " (the default)"));
        }
        if (child && nodes.size() != 1) {
            throw new IllegalArgumentException("--child runs one size: --nodes must name one, was " + nodes);
        }
        return new ScaleOptions(nodes, durationNs, loss, crashes, seed, threshold, json, inProcess, child, help);
    }

    /** The flags that reproduce these options for one size, as a child process is given them. */
    List<String> childArgs(int n) {
        List<String> out = new ArrayList<>(List.of("--child", "--nodes", Integer.toString(n),
                "--duration", Durations.format(durationNs), "--loss", Double.toString(loss),
                "--crashes", Integer.toString(crashes), "--seed", Long.toString(seed)));
        if (directMonitorThreshold >= 0) {
            out.add("--direct-monitor-threshold");
            out.add(Integer.toString(directMonitorThreshold));
        }
        return out;
    }

    private static String accepted(String flag) {
        return switch (flag) {
            case "--nodes" -> "comma-separated sizes, each in [2, 1048576], e.g. 100,1000,10000";
            case "--duration" -> "a duration in [1s, 24h], e.g. 10m or 90s";
            case "--loss" -> "a probability in [0, 1), e.g. 0.01";
            case "--crashes" -> "an integer in [0, smallest size - 1]";
            case "--seed" -> "an integer (a long)";
            case "--direct-monitor-threshold" -> "an integer in [0, 100000]";
            default -> "a file name";
        };
    }

    private static List<Integer> nodes(String value) {
        List<Integer> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            out.add(intIn("--nodes", part.strip(), MIN_NODES, MAX_NODES));
        }
        return List.copyOf(out);
    }

    private static long duration(String value) {
        long ns;
        try {
            ns = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--duration must be a duration in [1s, 24h] such as 10m or 90s,"
                    + " was '" + value + "'");
        }
        if (ns < MIN_DURATION_NS || ns > MAX_DURATION_NS) {
            throw new IllegalArgumentException("--duration must be in [1s, 24h], was " + value);
        }
        return ns;
    }

    private static double loss(String value) {
        double p;
        try {
            p = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--loss must be a probability in [0, 1), was '" + value + "'");
        }
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("--loss must be a probability in [0, 1), was " + value);
        }
        return p;
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be an integer in [" + Long.MIN_VALUE + ", "
                    + Long.MAX_VALUE + "], was '" + value + "'");
        }
    }

    private static int intIn(String flag, String value, int min, int max) {
        long v;
        try {
            v = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be %s integer%s in [%d, %d],"
                    + " was '%s'", flag, flag.equals("--nodes") ? "comma-separated" : "an",
                    flag.equals("--nodes") ? "s, each" : "", min, max, value));
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be in [%d, %d], was %d", flag,
                    min, max, v));
        }
        return (int) v;
    }
}
