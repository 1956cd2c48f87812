package io.pulse.transport.sim;

/**
 * Measures the simulator's speed (not a test): {@code ScaleRun NODES DURATION [CRASHES] [SEED]}, for example
 * {@code ScaleRun 10000 10m 5 1}. Prints the run's summary: delivered datagrams per wall-clock second, wall time,
 * events, and the detection figures. Run it with a large heap ({@code -Xmx12g} at 10,000 nodes); see
 * BENCHMARKS.md for the command line.
 */
public final class ScaleRun {

    private ScaleRun() {
    }

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long duration = Durations.parse(args.length > 1 ? args[1] : "10m");
        int crashes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        RunSpec spec = RunSpec.of(nodes, seed, duration, "lan")
                .withSchedule(Schedule.randomCrashes(nodes, crashes, duration / 10, duration * 6 / 10, seed));
        long start = System.nanoTime();
        RunReport r = Runner.run(spec, (v, t, e) -> {
            if (v % 60_000_000_000L == 0) {
                System.err.printf("  %4d virtual s, %,d events, %.1f wall s, heap %,d MB%n", v / 1_000_000_000L, e,
                        (System.nanoTime() - start) / 1e9,
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            }
        });
        System.out.print(r.summary());
        System.out.printf("delivered per wall second: %,.0f; events per wall second: %,.0f%n",
                r.deliveredPerWallSecond(), r.events() / r.wallSeconds());
    }
}
