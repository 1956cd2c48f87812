package io.pulse.transport.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a DEAD declaration about a member that is neither crashed nor gone by what the declarer could hear of it.
 *
 * <p><b>The rule.</b> Member C declaring member X DEAD at time t is <em>excused</em> when, after the last datagram
 * from X that C handled and within the look-back window before t, the path from X to C was cut for a total of at
 * least the minimum suspicion timeout; otherwise the declaration is a false positive. The path X → C is cut while X
 * or C is paused or crashed, while X and C are in different groups of a partition, and while the directed link
 * X → C is blocked. Nothing else excuses: not loss, not a slow member, not a quiet link (in SWIM a member may send
 * another nothing for many periods, so silence alone proves nothing), and not a fault elsewhere (a one-way block
 * A → B excuses B's declaration of A, not a third member's, nor A's of B).
 *
 * <p>The minimum suspicion timeout is Lifeguard's at the run's cluster size n:
 * {@code suspicionMultiplier × max(1, log10 n) × probeInterval} ({@link Runner#suspicionMinNs}), the shortest
 * suspicion a node of n members runs, in SWIM and hybrid mode alike (a full node in hybrid mode suspects after its
 * failed pulses, and the same timer runs). The look-back window is the maximum suspicion timeout plus two probe
 * intervals, the longest a justified suspicion can take to end in DEAD.
 *
 * <p><b>What is recorded.</b> The cuts come from the schedule, with the simulator's semantics (a later partition
 * replaces an earlier one, blocks of one link stack, a crash lasts until the node's restart). The last datagram a
 * node handled from another is recorded only for pairs that have had a cut within the look-back window (only their
 * silence can matter), so a run without faults, or with crashes only, records nothing.
 *
 * <p>Not thread-safe: a run's one thread calls it.
 */
final class Referee {

    /** A verdict on one DEAD declaration. */
    record Verdict(boolean excused, long cutNs, long lastHeardNs) {
    }

    private final long minNs;
    private final long windowNs;
    /** Per node: intervals {start, end} during which it was paused or crashed (so heard nothing and said nothing). */
    private final List<List<long[]>> down = new ArrayList<>();
    /** Per node: {first start, last end + window} of its down intervals, or null. */
    private final long[][] downRelevant;
    /** Partition segments in time order: {start, end} and the groups in force. */
    private final List<long[]> segments = new ArrayList<>();
    private final List<int[]> segmentGroups = new ArrayList<>();
    private final long partitionsFromNs;
    private final long partitionsUntilNs;
    /** Per directed link (from << 32 | to): its blocks {start, end}. */
    private final Map<Long, List<long[]>> blocks = new HashMap<>();
    private final Map<Long, long[]> blockRelevant = new HashMap<>();
    /** Last time (ns) a node handled a datagram from another, keyed by (from << 32 | to), for pairs being watched. */
    private final LongLongMap lastHeard = new LongLongMap();

    /**
     * @param spec the run: its cluster size, schedule, duration and configuration (for the two timeouts)
     */
    Referee(RunSpec spec) {
        this(spec.nodes(), spec.schedule().faults(), spec.durationNs(),
                Runner.suspicionMinNs(spec.config(), spec.nodes()),
                Runner.suspicionMaxNs(spec.config(), spec.nodes()) + 2 * spec.config().probeIntervalNs());
    }

    /**
     * @param nodes      the cluster size
     * @param faults     the schedule's faults
     * @param endNs      the end of the run: the end of whatever lasts for ever
     * @param minNs      the cut a declaration needs to be excused
     * @param windowNs   how far back before a declaration to look
     */
    Referee(int nodes, List<Fault> faults, long endNs, long minNs, long windowNs) {
        this.minNs = minNs;
        this.windowNs = windowNs;
        for (int i = 0; i < nodes; i++) {
            down.add(new ArrayList<>());
        }
        List<Fault.Partition> partitions = new ArrayList<>();
        for (int k = 0; k < faults.size(); k++) {
            Fault f = faults.get(k);
            long at = f.atNs();
            if (f instanceof Fault.Pause p) {
                down.get(p.node()).add(new long[] {at, at + p.forNs()});
            } else if (f instanceof Fault.Crash c) {
                down.get(c.node()).add(new long[] {at, restartAfter(faults, c.node(), at, k, endNs)});
            } else if (f instanceof Fault.Partition p) {
                partitions.add(p);
            } else if (f instanceof Fault.Block b) {
                long until = b.forNs() == Fault.FOREVER ? endNs : at + b.forNs();
                block(b.from(), b.to(), at, until);
                if (b.bothWays()) {
                    block(b.to(), b.from(), at, until);
                }
            }
        }
        downRelevant = new long[nodes][];
        for (int i = 0; i < nodes; i++) {
            for (long[] d : down.get(i)) {
                downRelevant[i] = widen(downRelevant[i], d);
            }
        }
        // stable: at equal times the later statement wins, as the simulator applies them in schedule order
        partitions.sort((a, b) -> Long.compare(a.atNs(), b.atNs()));
        long from = Long.MAX_VALUE;
        long until = Long.MIN_VALUE;
        for (int k = 0; k < partitions.size(); k++) {
            Fault.Partition p = partitions.get(k);
            long end = p.forNs() == Fault.FOREVER ? endNs : p.atNs() + p.forNs();
            if (k + 1 < partitions.size()) {
                end = Math.min(end, partitions.get(k + 1).atNs()); // replaced: its own heal does nothing
            }
            if (end > p.atNs()) {
                segments.add(new long[] {p.atNs(), end});
                segmentGroups.add(p.groupArray(nodes));
                from = Math.min(from, p.atNs());
                until = Math.max(until, saturatedAdd(end, windowNs));
            }
        }
        partitionsFromNs = from;
        partitionsUntilNs = until;
    }

    private static long restartAfter(List<Fault> faults, int node, long at, int index, long endNs) {
        for (int k = index + 1; k < faults.size(); k++) {
            if (faults.get(k) instanceof Fault.Restart r && r.node() == node && r.atNs() >= at) {
                return r.atNs();
            }
        }
        return endNs;
    }

    private void block(int from, int to, long start, long end) {
        long key = link(from, to);
        long[] d = {start, end};
        blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
        blockRelevant.put(key, widen(blockRelevant.get(key), d));
    }

    /** The span {first start, last end + window} grown to cover interval {@code d}. */
    private long[] widen(long[] span, long[] d) {
        long until = saturatedAdd(d[1], windowNs);
        return span == null ? new long[] {d[0], until} : new long[] {Math.min(span[0], d[0]), Math.max(span[1], until)};
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < a ? Long.MAX_VALUE : r;
    }

    private static long link(int from, int to) {
        return ((long) from << 32) | to;
    }

    /** Node {@code to} handled a datagram from node {@code from} at {@code atNs}. */
    void heard(int from, int to, long atNs) {
        if (watched(from, to, atNs)) {
            lastHeard.put(link(from, to), atNs);
        }
    }

    /** Whether the path from → to has had, or may soon have, a cut whose silence a declaration could lean on. */
    private boolean watched(int from, int to, long t) {
        if (within(downRelevant[from], t) || within(downRelevant[to], t)) {
            return true;
        }
        if (t >= partitionsFromNs && t <= partitionsUntilNs) {
            for (int k = 0; k < segments.size(); k++) {
                int[] g = segmentGroups.get(k);
                if (g[from] != g[to] && t >= segments.get(k)[0] && t <= saturatedAdd(segments.get(k)[1], windowNs)) {
                    return true;
                }
            }
        }
        return !blockRelevant.isEmpty() && within(blockRelevant.get(link(from, to)), t);
    }

    private static boolean within(long[] span, long t) {
        return span != null && t >= span[0] && t <= span[1];
    }

    /** Judges {@code declarer}'s DEAD declaration of {@code member} at {@code atNs}. */
    Verdict judge(int declarer, int member, long atNs) {
        long heard = lastHeard.get(link(member, declarer), Long.MIN_VALUE);
        long cut = cutNs(member, declarer, Math.max(heard, atNs - windowNs), atNs);
        return new Verdict(cut >= minNs, cut, heard);
    }

    /**
     * How long, within [{@code fromNs}, {@code toNs}], the path from node {@code from} to node {@code to} was cut:
     * the measure of the union of the intervals in which either end was down, a partition separated them, or the
     * link was blocked.
     */
    long cutNs(int from, int to, long fromNs, long toNs) {
        if (toNs <= fromNs) {
            return 0;
        }
        List<long[]> cuts = new ArrayList<>(down.get(from));
        cuts.addAll(down.get(to));
        for (int k = 0; k < segments.size(); k++) {
            int[] g = segmentGroups.get(k);
            if (g[from] != g[to]) {
                cuts.add(segments.get(k));
            }
        }
        cuts.addAll(blocks.getOrDefault(link(from, to), List.of()));
        long[][] clipped = new long[cuts.size()][];
        int m = 0;
        for (long[] c : cuts) {
            long a = Math.max(c[0], fromNs);
            long b = Math.min(c[1], toNs);
            if (b > a) {
                clipped[m++] = new long[] {a, b};
            }
        }
        Arrays.sort(clipped, 0, m, (x, y) -> Long.compare(x[0], y[0]));
        long total = 0;
        long start = Long.MIN_VALUE;
        long end = Long.MIN_VALUE;
        for (int k = 0; k < m; k++) {
            if (clipped[k][0] > end) {
                total += end - start;
                start = clipped[k][0];
                end = clipped[k][1];
            } else {
                end = Math.max(end, clipped[k][1]);
            }
        }
        return total + (end - start);
    }

    /** The cut a declaration needs to be excused, ns. */
    long minNs() {
        return minNs;
    }

    /** A map from long keys to long values, open addressing, no boxing. */
    private static final class LongLongMap {
        private long[] keys = new long[64];
        private long[] values = new long[64];
        private boolean[] used = new boolean[64];
        private int size;

        long get(long key, long absent) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); used[i]; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
            }
            return absent;
        }

        void put(long key, long value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (used[i] && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (!used[i]) {
                used[i] = true;
                keys[i] = key;
                size++;
            }
            values[i] = value;
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        private void grow() {
            long[] k = keys;
            long[] v = values;
            boolean[] u = used;
            keys = new long[k.length * 2];
            values = new long[k.length * 2];
            used = new boolean[k.length * 2];
            size = 0;
            for (int i = 0; i < k.length; i++) {
                if (u[i]) {
                    put(k[i], v[i]);
                }
            }
        }
    }
}
