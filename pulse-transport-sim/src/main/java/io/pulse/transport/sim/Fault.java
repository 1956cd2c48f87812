package io.pulse.transport.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of a fault {@link Schedule}: something that happens to a node, a link or the network at a virtual time.
 * Every fault is a value; its {@code toString()} is its line in the schedule's text format, which
 * {@link Schedule#parse(String)} reads back to an equal value.
 *
 * <p>Times are nanoseconds of virtual time since the start of the run; durations are nanoseconds, and
 * {@link #FOREVER} means "until the end of the run". Node numbers are indices in [0, n).
 */
public sealed interface Fault {

    /** A duration that never ends. */
    long FOREVER = Long.MAX_VALUE;

    /** When the fault happens, in nanoseconds of virtual time. */
    long atNs();

    /** The keyword of this kind of fault in the text format. */
    String keyword();

    /** The largest node number the fault names, or -1 if it names none. */
    int maxNode();

    /** {@code crash N}: node N stops silently, with no leave. */
    record Crash(long atNs, int node) implements Fault {
        /** Rejects negative values. */
        public Crash {
            checkAt(atNs);
            checkNode(node);
        }

        @Override
        public String keyword() {
            return "crash";
        }

        @Override
        public int maxNode() {
            return node;
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " crash " + node;
        }
    }

    /** {@code restart N via S}: crashed node N starts afresh on the same address and joins through node S. */
    record Restart(long atNs, int node, int via) implements Fault {
        /** Rejects negative values and a node that would join through itself. */
        public Restart {
            checkAt(atNs);
            checkNode(node);
            checkNode(via);
            if (via == node) {
                throw new IllegalArgumentException("a restarted node must join through another node, not itself ("
                        + node + ")");
            }
        }

        @Override
        public String keyword() {
            return "restart";
        }

        @Override
        public int maxNode() {
            return Math.max(node, via);
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " restart " + node + " via " + via;
        }
    }

    /** {@code pause N for D}: a stop-the-world pause; node N neither sends nor receives, its timers fire late. */
    record Pause(long atNs, int node, long forNs) implements Fault {
        /** Rejects negative values and an endless pause (use a crash). */
        public Pause {
            checkAt(atNs);
            checkNode(node);
            if (forNs <= 0 || forNs == FOREVER) {
                throw new IllegalArgumentException("a pause needs a positive, finite duration, was " + forNs + " ns");
            }
        }

        @Override
        public String keyword() {
            return "pause";
        }

        @Override
        public int maxNode() {
            return node;
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " pause " + node + " for " + Durations.format(forNs);
        }
    }

    /** {@code slow N xF [for D]}: node N handles every input (F − 1) slow units late (a starved CPU). */
    record Slow(long atNs, int node, double factor, long forNs) implements Fault {
        /** Rejects a factor outside [1, 1000] and non-positive durations. */
        public Slow {
            checkAt(atNs);
            checkNode(node);
            if (!(factor >= 1 && factor <= 1000)) {
                throw new IllegalArgumentException("slow factor must be in [1, 1000], was " + factor);
            }
            checkFor(forNs);
        }

        @Override
        public String keyword() {
            return "slow";
        }

        @Override
        public int maxNode() {
            return node;
        }

        @Override
        public String toString() {
            String f = factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
            return "at " + Durations.format(atNs) + " slow " + node + " x" + f + forText(forNs);
        }
    }

    /** {@code leave N}: node N leaves gracefully (not a failure). */
    record Leave(long atNs, int node) implements Fault {
        /** Rejects negative values. */
        public Leave {
            checkAt(atNs);
            checkNode(node);
        }

        @Override
        public String keyword() {
            return "leave";
        }

        @Override
        public int maxNode() {
            return node;
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " leave " + node;
        }
    }

    /**
     * {@code partition 0-49 | 50-99 [for D]}: datagrams between different groups are lost. Nodes named in no group
     * form one more group together. Each group is a sorted list of distinct node numbers.
     */
    record Partition(long atNs, List<List<Integer>> groups, long forNs) implements Fault {
        /** Rejects fewer than one group, empty groups, and a node named twice. */
        public Partition {
            checkAt(atNs);
            checkFor(forNs);
            Objects.requireNonNull(groups, "groups");
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("a partition needs at least one group");
            }
            List<List<Integer>> copy = new ArrayList<>();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (List<Integer> g : groups) {
                if (g.isEmpty()) {
                    throw new IllegalArgumentException("a partition group must not be empty");
                }
                List<Integer> sorted = new ArrayList<>(g);
                sorted.sort(null);
                for (int node : sorted) {
                    checkNode(node);
                    if (!seen.add(node)) {
                        throw new IllegalArgumentException("node " + node + " is in two partition groups");
                    }
                }
                copy.add(List.copyOf(sorted));
            }
            groups = List.copyOf(copy);
        }

        /** Node {@code i}'s group number for a cluster of {@code n}: its group's index, or the count of groups. */
        int[] groupArray(int n) {
            int[] out = new int[n];
            java.util.Arrays.fill(out, groups.size());
            for (int g = 0; g < groups.size(); g++) {
                for (int node : groups.get(g)) {
                    out[node] = g;
                }
            }
            return out;
        }

        @Override
        public String keyword() {
            return "partition";
        }

        @Override
        public int maxNode() {
            int m = -1;
            for (List<Integer> g : groups) {
                m = Math.max(m, g.get(g.size() - 1));
            }
            return m;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("at ").append(Durations.format(atNs)).append(" partition ");
            for (int g = 0; g < groups.size(); g++) {
                if (g > 0) {
                    sb.append(" | ");
                }
                sb.append(ranges(groups.get(g)));
            }
            return sb.append(forText(forNs)).toString();
        }
    }

    /**
     * {@code block A -> B [for D]} (only datagrams from A to B are lost: A hears B, B does not hear A) or
     * {@code block A <-> B [for D]} (both directions).
     */
    record Block(long atNs, int from, int to, boolean bothWays, long forNs) implements Fault {
        /** Rejects a link from a node to itself. */
        public Block {
            checkAt(atNs);
            checkNode(from);
            checkNode(to);
            checkFor(forNs);
            if (from == to) {
                throw new IllegalArgumentException("a blocked link needs two different nodes, was " + from);
            }
        }

        @Override
        public String keyword() {
            return "block";
        }

        @Override
        public int maxNode() {
            return Math.max(from, to);
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " block " + from + (bothWays ? " <-> " : " -> ") + to
                    + forText(forNs);
        }
    }

    /** {@code loss P}: from now on the network loses each datagram with probability P. */
    record Loss(long atNs, double loss) implements Fault {
        /** Rejects probabilities outside [0, 1). */
        public Loss {
            checkAt(atNs);
            checkProbability("loss", loss);
        }

        @Override
        public String keyword() {
            return "loss";
        }

        @Override
        public int maxNode() {
            return -1;
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " loss " + loss;
        }
    }

    /** {@code duplicate P}: from now on each delivered datagram is delivered twice with probability P. */
    record Duplicate(long atNs, double duplicate) implements Fault {
        /** Rejects probabilities outside [0, 1). */
        public Duplicate {
            checkAt(atNs);
            checkProbability("duplicate", duplicate);
        }

        @Override
        public String keyword() {
            return "duplicate";
        }

        @Override
        public int maxNode() {
            return -1;
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " duplicate " + duplicate;
        }
    }

    /** {@code reorder P within D}: from now on a datagram is held back up to D with probability P. */
    record Reorder(long atNs, double reorder, long withinNs) implements Fault {
        /** Rejects probabilities outside [0, 1) and negative delays. */
        public Reorder {
            checkAt(atNs);
            checkProbability("reorder", reorder);
            if (withinNs < 0 || withinNs > Latency.MAX_NS) {
                throw new IllegalArgumentException("reorder window must be in [0, 60s], was " + withinNs + " ns");
            }
        }

        @Override
        public String keyword() {
            return "reorder";
        }

        @Override
        public int maxNode() {
            return -1;
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " reorder " + reorder + " within " + Durations.format(withinNs);
        }
    }

    /** {@code latency DIST}: from now on delays are drawn from DIST (see {@link Latency}). */
    record LatencyChange(long atNs, Latency latency) implements Fault {
        /** Rejects nulls. */
        public LatencyChange {
            checkAt(atNs);
            Objects.requireNonNull(latency, "latency");
        }

        @Override
        public String keyword() {
            return "latency";
        }

        @Override
        public int maxNode() {
            return -1;
        }

        @Override
        public String toString() {
            return "at " + Durations.format(atNs) + " latency " + latency;
        }
    }

    private static void checkAt(long atNs) {
        if (atNs < 0 || atNs == FOREVER) {
            throw new IllegalArgumentException("a fault's time must be a non-negative, finite duration, was "
                    + atNs + " ns");
        }
    }

    private static void checkNode(int node) {
        if (node < 0) {
            throw new IllegalArgumentException("a node number must not be negative, was " + node);
        }
    }

    private static void checkFor(long forNs) {
        if (forNs <= 0) {
            throw new IllegalArgumentException("a fault's duration must be positive, was " + forNs + " ns");
        }
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), was " + p);
        }
    }

    private static String forText(long forNs) {
        return forNs == FOREVER ? "" : " for " + Durations.format(forNs);
    }

    /** Sorted distinct node numbers as ranges: {@code 0-49,60,62-63}. */
    static String ranges(List<Integer> sorted) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(sorted.get(i));
            if (j > i) {
                sb.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
