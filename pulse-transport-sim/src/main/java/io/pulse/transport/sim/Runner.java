package io.pulse.transport.sim;

import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * Runs a {@link RunSpec} on a {@link Simulation} and measures what the report needs: it applies the schedule,
 * watches every membership event, samples the load, checks convergence after partitions heal, and returns a
 * {@link RunReport}.
 *
 * <p>Not thread-safe; each call builds its own simulation. Deterministic: the sampling actions it adds are part of
 * the spec's run, so the digest depends only on the spec. Wall time is read for the report only.
 */
public final class Runner {

    /** Told how far a run has got, after every time bucket. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param virtualNs virtual time reached
         * @param totalNs   virtual time the run will cover
         * @param events    events processed so far
         */
        void update(long virtualNs, long totalNs, long events);
    }

    /** False positives listed in the report; every one is counted. */
    static final int MAX_FALSE_POSITIVES_LISTED = 10_000;
    /** False suspicions listed in the report; every one is counted. */
    static final int MAX_FALSE_SUSPICIONS_LISTED = 100;
    private static final long MS = 1_000_000L;

    private Runner() {
    }

    /** Runs {@code spec} and reports. */
    public static RunReport run(RunSpec spec) {
        return run(spec, (v, t, e) -> { });
    }

    /** Runs {@code spec}, telling {@code progress} as it goes, and reports. */
    public static RunReport run(RunSpec spec, Progress progress) {
        return run(spec, progress, sim -> { });
    }

    /**
     * Runs {@code spec}, telling {@code progress} as it goes, hands the finished simulation to {@code atEnd} (to
     * inspect the members' final views), and reports.
     */
    public static RunReport run(RunSpec spec, Progress progress, java.util.function.Consumer<Simulation> atEnd) {
        long wallStart = System.nanoTime();
        Simulation sim = Simulation.builder().nodes(spec.nodes()).config(spec.config()).seed(spec.seed())
                .network(spec.network()).slowUnit(java.time.Duration.ofNanos(spec.slowUnitNs())).build();
        Tracker tracker = new Tracker(spec, sim);
        sim.listen(tracker);
        sim.listenDeliveries(tracker.referee::heard);
        sim.startAll();
        spec.schedule().applyTo(sim);
        tracker.scheduleObservations();
        long end = spec.durationNs();
        long bucket = tracker.bucketNs;
        for (long t = bucket; ; t += bucket) {
            long until = Math.min(t, end);
            sim.runUntil(until);
            progress.update(until, end, sim.events());
            if (until >= end) {
                break;
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        atEnd.accept(sim);
        return tracker.report(wall);
    }

    /** Lifeguard's minimum suspicion timeout at n members: multiplier × max(1, log10 n) × probe interval. */
    static long suspicionMinNs(PulseConfig c, int n) {
        return (long) (c.suspicionMultiplier() * Math.max(1.0, Math.log10(Math.max(1, n))) * c.probeIntervalNs());
    }

    /** Lifeguard's maximum suspicion timeout: the max-timeout multiplier times the minimum. */
    static long suspicionMaxNs(PulseConfig c, int n) {
        return c.suspicionMaxTimeoutMultiplier() * suspicionMinNs(c, n);
    }

    /** The nearest-rank percentile of sorted values, or empty. */
    static OptionalLong percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return OptionalLong.empty();
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return OptionalLong.of(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
    }

    /** Watches one run. */
    private static final class Tracker implements Simulation.EventListener {
        private final RunSpec spec;
        private final Simulation sim;
        private final int n;
        private final long windowNs;
        final Referee referee;
        final long bucketNs;
        private final int buckets;

        // injected unreachability per node, {start, end}: excuses false suspicions
        private final List<List<long[]>> episodes = new ArrayList<>();

        private final List<FailureWatch> failures = new ArrayList<>();
        private final int[] activeFailure;
        private final List<OptionalLong> convergence = new ArrayList<>();
        private final List<RunReport.FalseAlarm> alarms = new ArrayList<>();
        private int positivesListed;
        private int suspicionsListed;
        private final List<Long> latencies = new ArrayList<>();
        private int falsePositives;
        private int falseSuspicions;
        private int falseSuspicionsOfSlow;

        private final long[] messages;
        private final long[] bytes;
        private final long[] suspicions;
        private final long[] deaths;
        private long lastMessages;
        private long lastBytes;

        Tracker(RunSpec spec, Simulation sim) {
            this.spec = spec;
            this.sim = sim;
            this.n = spec.nodes();
            PulseConfig c = spec.config();
            this.referee = new Referee(spec);
            this.windowNs = suspicionMaxNs(c, n) + 2 * c.probeIntervalNs();
            long durationMs = spec.durationNs() / MS;
            long bucketMs = Math.max(1000, (durationMs / 600 + 999) / 1000 * 1000);
            this.bucketNs = bucketMs * MS;
            this.buckets = (int) ((spec.durationNs() + bucketNs - 1) / bucketNs);
            messages = new long[buckets];
            bytes = new long[buckets];
            suspicions = new long[buckets];
            deaths = new long[buckets];
            activeFailure = new int[n];
            Arrays.fill(activeFailure, -1);
            for (int i = 0; i < n; i++) {
                episodes.add(new ArrayList<>());
            }
            buildEpisodes();
        }

        private void buildEpisodes() {
            long end = spec.durationNs();
            List<Fault> faults = spec.schedule().faults();
            for (int k = 0; k < faults.size(); k++) {
                Fault f = faults.get(k);
                long at = f.atNs();
                if (f instanceof Fault.Pause p) {
                    episode(p.node(), at, at + p.forNs());
                } else if (f instanceof Fault.Partition p) {
                    long until = p.forNs() == Fault.FOREVER ? end : at + p.forNs();
                    for (int i = 0; i < n; i++) {
                        episode(i, at, until);
                    }
                } else if (f instanceof Fault.Block b) {
                    long until = b.forNs() == Fault.FOREVER ? end : at + b.forNs();
                    episode(b.from(), at, until);
                    episode(b.to(), at, until);
                } else if (f instanceof Fault.Crash c) {
                    episode(c.node(), at, restartAfter(c.node(), at, k));
                }
            }
        }

        private long restartAfter(int node, long at, int index) {
            List<Fault> faults = spec.schedule().faults();
            for (int k = index + 1; k < faults.size(); k++) {
                if (faults.get(k) instanceof Fault.Restart r && r.node() == node && r.atNs() >= at) {
                    return r.atNs();
                }
            }
            return spec.durationNs();
        }

        private void episode(int node, long start, long end) {
            episodes.get(node).add(new long[] {start, end});
        }

        /** Whether node i was inside an injected unreachability within the window before t. */
        private boolean excused(int i, long t) {
            for (long[] e : episodes.get(i)) {
                if (e[0] <= t && e[1] >= t - windowNs) {
                    return true;
                }
            }
            return false;
        }

        void scheduleObservations() {
            List<Fault> faults = spec.schedule().faults();
            for (int k = 0; k < faults.size(); k++) {
                Fault f = faults.get(k);
                long at = f.atNs();
                if (at > spec.durationNs()) {
                    continue;
                }
                if (f instanceof Fault.Crash c) {
                    int index = failures.size();
                    failures.add(new FailureWatch(c.node(), at));
                    sim.at(at, () -> startFailure(index));
                } else if (f instanceof Fault.Restart r) {
                    sim.at(at, () -> endFailure(r.node()));
                } else if (f instanceof Fault.Leave l) {
                    sim.at(at, () -> observerGone(l.node()));
                } else if (f instanceof Fault.Partition p && p.forNs() != Fault.FOREVER) {
                    int index = convergence.size();
                    convergence.add(OptionalLong.empty());
                    long heal = at + p.forNs();
                    if (heal <= spec.durationNs()) {
                        sim.at(heal, () -> checkConvergence(index, heal));
                    }
                }
            }
            for (int b = 0; b < buckets; b++) {
                int bucket = b;
                sim.at(Math.min(spec.durationNs(), (b + 1) * bucketNs) - 1, () -> sample(bucket));
            }
        }

        private void sample(int bucket) {
            long m = 0;
            long by = 0;
            for (int i = 0; i < n; i++) {
                m += sim.sentDatagrams(i);
                by += sim.sentBytes(i);
            }
            messages[bucket] = m - lastMessages;
            bytes[bucket] = by - lastBytes;
            lastMessages = m;
            lastBytes = by;
        }

        private void startFailure(int index) {
            FailureWatch w = failures.get(index);
            observerGone(w.node);
            w.active = true;
            activeFailure[w.node] = index;
            for (int i = 0; i < n; i++) {
                if (i != w.node && !sim.isCrashed(i) && !sim.hasLeft(i)) {
                    w.observer[i] = true;
                    w.live++;
                }
            }
            w.check(sim.nowNs());
        }

        private void endFailure(int node) {
            int index = activeFailure[node];
            if (index >= 0) {
                failures.get(index).active = false;
                activeFailure[node] = -1;
            }
        }

        /** Node i crashed or left: it no longer has to know of anyone's failure. */
        private void observerGone(int i) {
            for (FailureWatch w : failures) {
                if (w.active && w.observer[i]) {
                    w.observer[i] = false;
                    w.live--;
                    if (w.knows[i]) {
                        w.knows[i] = false;
                        w.knew--;
                    }
                    w.check(sim.nowNs());
                }
            }
        }

        private void checkConvergence(int index, long healNs) {
            if (converged()) {
                convergence.set(index, OptionalLong.of((sim.nowNs() - healNs) / MS));
                return;
            }
            long next = sim.nowNs() + 100 * MS;
            if (next <= spec.durationNs()) {
                sim.at(next, () -> checkConvergence(index, healNs));
            }
        }

        /**
         * Whether every live member sees exactly the live members as running: the running count equals the live
         * count everywhere, and (up to 1,000 nodes, where the n² check is cheap) every live member sees every
         * live member ALIVE.
         */
        private boolean converged() {
            int live = 0;
            for (int i = 0; i < n; i++) {
                if (!sim.isCrashed(i) && !sim.hasLeft(i)) {
                    live++;
                }
            }
            for (int i = 0; i < n; i++) {
                if (!sim.isCrashed(i) && !sim.hasLeft(i) && sim.node(i).runningMembers() != live) {
                    return false;
                }
            }
            if (n <= 1000) {
                for (int i = 0; i < n; i++) {
                    if (sim.isCrashed(i) || sim.hasLeft(i)) {
                        continue;
                    }
                    for (int j = 0; j < n; j++) {
                        if (sim.isCrashed(j) || sim.hasLeft(j)) {
                            continue;
                        }
                        if (sim.node(i).stateOf(sim.id(j)).orElse(State.DEAD) != State.ALIVE) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        @Override
        public void onEvent(int observer, long atNs, MembershipEvent event) {
            int member = sim.indexOf(event.member());
            if (member < 0 || member == observer) {
                return;
            }
            int bucket = (int) Math.min(buckets - 1, atNs / bucketNs);
            int f = activeFailure[member];
            if (event instanceof MembershipEvent.Failed) {
                deaths[bucket]++;
                if (f >= 0) {
                    FailureWatch w = failures.get(f);
                    if (w.firstDeadNs < 0) {
                        w.firstDeadNs = atNs;
                    }
                    if (w.observer[observer] && !w.knows[observer]) {
                        w.knows[observer] = true;
                        w.knew++;
                        latencies.add((atNs - w.atNs) / MS);
                        w.check(atNs);
                    }
                } else if (!sim.isCrashed(member) && !sim.hasLeft(member)
                        && !referee.judge(observer, member, atNs).excused()) {
                    falsePositives++;
                    alarm("falsePositive", atNs, observer, member);
                }
            } else if (event instanceof MembershipEvent.Suspected) {
                suspicions[bucket]++;
                if (f >= 0) {
                    FailureWatch w = failures.get(f);
                    if (w.firstSuspectNs < 0) {
                        w.firstSuspectNs = atNs;
                    }
                } else if (!sim.isCrashed(member) && !sim.hasLeft(member) && !excused(member, atNs)
                        && !excused(observer, atNs)) {
                    falseSuspicions++;
                    if (sim.slowFactor(member) != 1.0) {
                        falseSuspicionsOfSlow++;
                    }
                    alarm("falseSuspicion", atNs, observer, member);
                }
            } else if ((event instanceof MembershipEvent.Alive || event instanceof MembershipEvent.Joined) && f >= 0) {
                FailureWatch w = failures.get(f);
                if (w.knows[observer]) {
                    w.knows[observer] = false;
                    w.knew--;
                }
            }
        }

        private void alarm(String kind, long atNs, int observer, int member) {
            boolean positive = kind.equals("falsePositive");
            if (positive ? positivesListed++ < MAX_FALSE_POSITIVES_LISTED
                    : suspicionsListed++ < MAX_FALSE_SUSPICIONS_LISTED) {
                alarms.add(new RunReport.FalseAlarm(kind, atNs / MS, observer, member));
            }
        }

        RunReport report(double wallSeconds) {
            double seconds = spec.durationNs() / 1e9;
            List<RunReport.Failure> out = new ArrayList<>();
            List<Long> firstDead = new ArrayList<>();
            List<Long> allKnow = new ArrayList<>();
            int undetected = 0;
            for (FailureWatch w : failures) {
                RunReport.Failure r = w.toReport();
                out.add(r);
                r.firstDeadMs().ifPresent(firstDead::add);
                r.allKnowMs().ifPresent(allKnow::add);
                if (r.allKnowMs().isEmpty()) {
                    undetected++;
                }
            }
            long[] fd = firstDead.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] ak = allKnow.stream().mapToLong(Long::longValue).sorted().toArray();
            long probeMs = spec.config().probeIntervalNs() / MS;
            OptionalLong fd50 = percentile(fd, 50);
            OptionalLong ak50 = percentile(ak, 50);
            RunReport.Detection detection = new RunReport.Detection(fd50, percentile(fd, 99), ak50,
                    percentile(ak, 99), probeMs, fd50.isPresent() ? (double) fd50.getAsLong() / probeMs : Double.NaN,
                    ak50.isPresent() ? (double) ak50.getAsLong() / probeMs : Double.NaN);
            double mSum = 0;
            double mMax = 0;
            double bSum = 0;
            double bMax = 0;
            for (int i = 0; i < n; i++) {
                double m = sim.sentDatagrams(i) / seconds;
                double b = sim.sentBytes(i) / seconds;
                mSum += m;
                bSum += b;
                mMax = Math.max(mMax, m);
                bMax = Math.max(bMax, b);
            }
            RunReport.Timeline timeline = new RunReport.Timeline(bucketNs / MS, boxed(messages), boxed(bytes),
                    boxed(suspicions), boxed(deaths));
            return new RunReport(spec, seconds, wallSeconds, sim.events(), sim.delivered(), sim.lost(), sim.digest(),
                    falsePositives, falseSuspicions, falseSuspicionsOfSlow, undetected, out, detection, new RunReport.Rate(mSum / n, mMax),
                    new RunReport.Rate(bSum / n, bMax), convergence, alarms, timeline, latencies);
        }

        private static List<Long> boxed(long[] a) {
            List<Long> out = new ArrayList<>(a.length);
            for (long v : a) {
                out.add(v);
            }
            return out;
        }

        /** One crash being watched. */
        private final class FailureWatch {
            final int node;
            final long atNs;
            final boolean[] observer = new boolean[n];
            final boolean[] knows = new boolean[n];
            int live;
            int knew;
            boolean active;
            long firstSuspectNs = -1;
            long firstDeadNs = -1;
            long allKnowNs = -1;

            FailureWatch(int node, long atNs) {
                this.node = node;
                this.atNs = atNs;
            }

            void check(long nowNs) {
                if (active && allKnowNs < 0 && knew == live) {
                    allKnowNs = nowNs;
                }
            }

            RunReport.Failure toReport() {
                return new RunReport.Failure(node, atNs / MS, since(firstSuspectNs), since(firstDeadNs),
                        since(allKnowNs), knew, live);
            }

            private OptionalLong since(long t) {
                return t < 0 ? OptionalLong.empty() : OptionalLong.of((t - atNs) / MS);
            }
        }
    }
}
