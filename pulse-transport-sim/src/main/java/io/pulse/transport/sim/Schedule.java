package io.pulse.transport.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A fault schedule: what happens to which nodes and links, and when, as data that can be written by hand,
 * generated, printed, stored and replayed.
 *
 * <h2>Text format</h2>
 * One statement per line, or several on a line separated by {@code ;}. {@code #} starts a comment that runs to the
 * end of the line. Blank statements are ignored. Every statement starts with {@code at TIME}:
 * <pre>
 * at 30s crash 3                          # node 3 stops silently (no leave)
 * at 90s restart 3 via 0                  # node 3 starts afresh and joins through node 0 ("via" optional:
 *                                         #   node 0, or node 1 when restarting node 0)
 * at 40s pause 7 for 5s                   # stop-the-world pause
 * at 100s slow 4 x10 for 30s              # handles inputs (10 - 1) slow units late; "for" optional
 * at 120s leave 5                         # graceful leave
 * at 60s partition 0-49 | 50-99 for 20s   # groups of node ranges; unnamed nodes form one more group
 * at 70s block 3 -> 4 for 10s             # datagrams 3 to 4 lost; 4 to 3 still arrive
 * at 70s block 3 &lt;-&gt; 4                     # both directions, until the end of the run
 * at 80s loss 0.2                         # the network from now on (no "for": write another line)
 * at 80s duplicate 0.01
 * at 80s reorder 0.05 within 10ms
 * at 80s latency lognormal:2ms/50ms       # see Latency for the distributions
 * </pre>
 * TIME and D are durations ({@link Durations}: {@code 30s}, {@code 1.5s}, {@code 10m}, {@code 500ms}); node sets
 * are comma-separated numbers and ranges ({@code 0-9,20,30-39}). Statements are kept sorted by time, ties in the
 * order written. {@link #toString()} prints the canonical text, and {@code parse(s.toString())} equals {@code s}.
 *
 * @param faults the faults, sorted by time (a stable sort: ties keep their order)
 */
public record Schedule(List<Fault> faults) {

    /** The empty schedule. */
    public static final Schedule EMPTY = new Schedule(List.of());

    /** Sorts the faults by time, keeping ties in order, and copies them. */
    public Schedule {
        Objects.requireNonNull(faults, "faults");
        List<Fault> sorted = new ArrayList<>(faults);
        sorted.sort(Comparator.comparingLong(Fault::atNs));
        faults = List.copyOf(sorted);
    }

    /** A schedule of the given faults. */
    public static Schedule of(Fault... faults) {
        return new Schedule(List.of(faults));
    }

    /**
     * Reads the text format.
     *
     * @throws ScheduleSyntaxException naming the line and column, what was expected and what was found
     */
    public static Schedule parse(String text) {
        return new Schedule(new ScheduleParser(text).parse());
    }

    /** This schedule with more faults. */
    public Schedule with(Fault... more) {
        List<Fault> all = new ArrayList<>(faults);
        all.addAll(List.of(more));
        return new Schedule(all);
    }

    /** This schedule with another schedule's faults. */
    public Schedule with(Schedule other) {
        List<Fault> all = new ArrayList<>(faults);
        all.addAll(other.faults);
        return new Schedule(all);
    }

    /** The canonical text: one statement per line, each ending with a newline. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Fault f : faults) {
            sb.append(f).append('\n');
        }
        return sb.toString();
    }

    /** The canonical text on one line, statements separated by {@code "; "} (for command lines and logs). */
    public String toLine() {
        StringBuilder sb = new StringBuilder();
        for (Fault f : faults) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(f);
        }
        return sb.toString();
    }

    /**
     * Checks that every node named exists in a cluster of {@code nodes}.
     *
     * @throws IllegalArgumentException naming the statement and the node
     */
    public void validate(int nodes) {
        for (Fault f : faults) {
            if (f.maxNode() >= nodes) {
                throw new IllegalArgumentException("'" + f + "' names node " + f.maxNode() + ", but the cluster has "
                        + nodes + " nodes (0-" + (nodes - 1) + ")");
            }
        }
    }

    /** Schedules every fault on {@code sim}. */
    public void applyTo(Simulation sim) {
        validate(sim.size());
        for (Fault f : faults) {
            long at = f.atNs();
            if (f instanceof Fault.Crash c) {
                sim.crash(c.node(), at);
            } else if (f instanceof Fault.Restart r) {
                sim.restart(r.node(), at, r.via());
            } else if (f instanceof Fault.Pause p) {
                sim.pause(p.node(), at, p.forNs());
            } else if (f instanceof Fault.Slow s) {
                sim.slow(s.node(), s.factor(), at, s.forNs());
            } else if (f instanceof Fault.Leave l) {
                sim.leave(l.node(), at);
            } else if (f instanceof Fault.Partition p) {
                sim.partition(p.groupArray(sim.size()), at, p.forNs());
            } else if (f instanceof Fault.Block b) {
                sim.block(b.from(), b.to(), at, b.forNs());
                if (b.bothWays()) {
                    sim.block(b.to(), b.from(), at, b.forNs());
                }
            } else if (f instanceof Fault.Loss l) {
                sim.changeNetwork(at, n -> n.withLoss(l.loss()));
            } else if (f instanceof Fault.Duplicate d) {
                sim.changeNetwork(at, n -> n.withDuplicate(d.duplicate()));
            } else if (f instanceof Fault.Reorder r) {
                sim.changeNetwork(at, n -> n.withReorder(r.reorder(), r.withinNs()));
            } else if (f instanceof Fault.LatencyChange l) {
                sim.changeNetwork(at, n -> n.withLatency(l.latency()));
            } else {
                throw new IllegalStateException("unknown fault " + f);
            }
        }
    }

    /**
     * {@code count} crashes of distinct nodes at times drawn uniformly in [{@code fromNs}, {@code untilNs}), all
     * drawn from {@code seed}: the command line's {@code --crash N}.
     */
    public static Schedule randomCrashes(int nodes, int count, long fromNs, long untilNs, long seed) {
        if (count < 0 || count >= nodes) {
            throw new IllegalArgumentException("crashes must be in [0, " + (nodes - 1) + "] for " + nodes
                    + " nodes, was " + count);
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x6a09e667f3bcc909L);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            order.add(i);
        }
        List<Fault> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int j = k + r.nextInt(nodes - k);
            java.util.Collections.swap(order, k, j);
            long at = untilNs > fromNs ? fromNs + r.nextLong(untilNs - fromNs) : fromNs;
            out.add(new Fault.Crash(at / 1_000_000L * 1_000_000L, order.get(k)));
        }
        return new Schedule(out);
    }
}
