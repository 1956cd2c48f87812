package io.pulse.transport.sim;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a simulated run showed, as a value: for tests to assert on, and for the command line to render as JSON
 * (the field names below are the JSON names; the README documents each). Times called {@code ...Ms} are virtual
 * milliseconds; an empty {@link OptionalLong} (JSON {@code null}) means "never happened".
 *
 * <p><b>False positive</b>: a DEAD declaration, by any member C, about a member X that was not crashed and had not
 * left, unless C could not hear X: after the last datagram from X that C handled, and within the look-back window
 * before the declaration, the path from X to C was cut (X or C paused or crashed, the two in different partition
 * groups, or the link X → C blocked) for a total of at least the minimum suspicion timeout,
 * {@code suspicionMultiplier × max(1, log10 n) × probeInterval} at the run's n (see {@link Referee}). The window is
 * the maximum suspicion timeout plus two probe intervals, the longest a justified suspicion can take to end in DEAD.
 * Loss, slowness and quiet links excuse nothing, nor does a fault elsewhere: a block A → B excuses B's declarations
 * of A only. A slow member is live and reachable: declaring it dead is a false positive (Lifeguard's scenario).
 *
 * <p><b>False suspicion</b>: a SUSPECT declaration about a member that was not crashed and had not left, when
 * neither it nor the suspecting member was inside an injected unreachability of any length within the same window.
 *
 * @param spec                the run's specification (seed, configuration, network, schedule)
 * @param virtualSeconds      virtual time covered
 * @param wallSeconds         wall-clock time the run took (the only figure that varies between identical runs)
 * @param events              events processed (deliveries, timer wake-ups, scheduled actions)
 * @param delivered           datagrams delivered
 * @param lost                datagrams lost (loss, partitions, blocked links)
 * @param digest              the trace digest: equal for equal specs
 * @param falsePositives      DEAD declarations about live, reachable members (see above), counted per declarer
 * @param falseSuspicions     SUSPECT declarations about live members (see above), counted per declarer
 * @param falseSuspicionsOfSlowMembers the false suspicions whose suspect was a slow member at the time (the rest
 *                            accused healthy members, which is what Lifeguard's local health prevents)
 * @param undetected          crashes that some member live throughout never declared DEAD before the crash window
 *                            ended (restart or end of run)
 * @param failures            one entry per crash, in schedule order
 * @param detection           percentiles over the failures
 * @param messagesPerMemberPerSecond datagrams sent per member per virtual second: mean and max over members
 * @param bytesPerMemberPerSecond    bytes sent per member per virtual second: mean and max over members
 * @param convergenceMs       per healed partition, in schedule order: from the heal until every live member saw
 *                            every live member ALIVE and no other member running (checked every 100 ms of virtual
 *                            time; above 1,000 nodes only the running counts are compared); empty if never
 * @param falseAlarms         false positives and false suspicions in detail, in time order: every false positive
 *                            (the first 10,000) and the first 100 false suspicions; the counts above are complete
 * @param timeline            sent messages, suspicions and deaths per time bucket
 * @param detectionLatenciesMs every DEAD declaration about a crashed member, by every member: ms after the crash
 */
public record RunReport(RunSpec spec, double virtualSeconds, double wallSeconds, long events, long delivered,
                        long lost, long digest, int falsePositives, int falseSuspicions,
                        int falseSuspicionsOfSlowMembers, int undetected,
                        List<Failure> failures, Detection detection, Rate messagesPerMemberPerSecond,
                        Rate bytesPerMemberPerSecond, List<OptionalLong> convergenceMs, List<FalseAlarm> falseAlarms,
                        Timeline timeline, List<Long> detectionLatenciesMs) {

    /** Copies the lists. */
    public RunReport {
        Objects.requireNonNull(spec, "spec");
        failures = List.copyOf(failures);
        convergenceMs = List.copyOf(convergenceMs);
        falseAlarms = List.copyOf(falseAlarms);
        detectionLatenciesMs = List.copyOf(detectionLatenciesMs);
    }

    /** The seed. */
    public long seed() {
        return spec.seed();
    }

    /** The cluster size. */
    public int nodes() {
        return spec.nodes();
    }

    /** The digest as 16 lower-case hex digits. */
    public String digestHex() {
        return String.format("%016x", digest);
    }

    /** Delivered datagrams per wall-clock second: the simulator's speed. */
    public double deliveredPerWallSecond() {
        return wallSeconds > 0 ? delivered / wallSeconds : 0;
    }

    /**
     * One injected crash and how the cluster noticed it; times measured from the crash.
     *
     * @param node           the crashed node
     * @param atMs           when it crashed, virtual ms since the start
     * @param firstSuspectMs until the first member suspected it
     * @param firstDeadMs    until the first member declared it DEAD
     * @param allKnowMs      until every member live throughout had declared it DEAD
     * @param knew           members that had declared it DEAD when the crash window ended
     * @param ofLive         members live throughout the crash window (those that had to know)
     */
    public record Failure(int node, long atMs, OptionalLong firstSuspectMs, OptionalLong firstDeadMs,
                          OptionalLong allKnowMs, int knew, int ofLive) {
    }

    /**
     * Detection latency percentiles over the failures (nearest rank; empty when no failure got that far), and the
     * same in protocol periods.
     *
     * @param firstDeadP50Ms     median time to the first DEAD
     * @param firstDeadP99Ms     99th percentile time to the first DEAD
     * @param allKnowP50Ms       median time until all knew
     * @param allKnowP99Ms       99th percentile time until all knew
     * @param probeIntervalMs    the configured protocol period
     * @param firstDeadP50Periods median time to the first DEAD, in protocol periods (NaN if none)
     * @param allKnowP50Periods  median time until all knew, in protocol periods (NaN if none)
     */
    public record Detection(OptionalLong firstDeadP50Ms, OptionalLong firstDeadP99Ms, OptionalLong allKnowP50Ms,
                            OptionalLong allKnowP99Ms, long probeIntervalMs, double firstDeadP50Periods,
                            double allKnowP50Periods) {
    }

    /**
     * A per-member rate.
     *
     * @param mean the mean over members
     * @param max  the largest member's
     */
    public record Rate(double mean, double max) {
    }

    /**
     * One false alarm.
     *
     * @param kind     {@code "falsePositive"} or {@code "falseSuspicion"}
     * @param atMs     when, virtual ms
     * @param observer the member that declared it
     * @param member   the member declared DEAD or SUSPECT
     */
    public record FalseAlarm(String kind, long atMs, int observer, int member) {
    }

    /**
     * Counts per time bucket, from time 0.
     *
     * @param bucketMs    the bucket width, virtual ms
     * @param messages    datagrams sent by all members in each bucket
     * @param bytes       bytes sent by all members in each bucket
     * @param suspicions  SUSPECT declarations in each bucket
     * @param deaths      DEAD declarations in each bucket
     */
    public record Timeline(long bucketMs, List<Long> messages, List<Long> bytes, List<Long> suspicions,
                           List<Long> deaths) {
        /** Copies the lists. */
        public Timeline {
            messages = List.copyOf(messages);
            bytes = List.copyOf(bytes);
            suspicions = List.copyOf(suspicions);
            deaths = List.copyOf(deaths);
        }
    }

    /** A few lines for a person: seed, detection, false alarms, load, speed, digest. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT,
                "%d nodes, %.0f virtual s in %.2f wall s (%,d events, %,d delivered, %,.0f delivered/s), seed %d,"
                        + " digest %s%n", nodes(), virtualSeconds, wallSeconds, events, delivered,
                deliveredPerWallSecond(), seed(), digestHex()));
        sb.append(String.format(java.util.Locale.ROOT,
                "failures %d (undetected %d): first DEAD p50 %s p99 %s, all know p50 %s p99 %s%n", failures.size(),
                undetected, ms(detection.firstDeadP50Ms()), ms(detection.firstDeadP99Ms()),
                ms(detection.allKnowP50Ms()), ms(detection.allKnowP99Ms())));
        sb.append(String.format(java.util.Locale.ROOT,
                "false positives %d, false suspicions %d; messages/member/s mean %.2f max %.2f, bytes/member/s "
                        + "mean %.0f max %.0f%n", falsePositives, falseSuspicions, messagesPerMemberPerSecond.mean(),
                messagesPerMemberPerSecond.max(), bytesPerMemberPerSecond.mean(), bytesPerMemberPerSecond.max()));
        if (!convergenceMs.isEmpty()) {
            sb.append("convergence after heals: ");
            for (OptionalLong c : convergenceMs) {
                sb.append(ms(c)).append(' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String ms(OptionalLong v) {
        return v.isPresent() ? v.getAsLong() + " ms" : "never";
    }
}
