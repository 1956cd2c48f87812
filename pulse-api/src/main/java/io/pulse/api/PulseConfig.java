package io.pulse.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a pulse node can be tuned by: one immutable value, built with a {@link Builder} that checks every field
 * against its accepted range and the fields against each other.
 *
 * <p>Start from a preset and override what differs: {@link #lan()} (the default: a data-centre network),
 * {@link #wan()} (links with long and variable round trips) or {@link #local()} (loopback and tests). Each
 * accessor's Javadoc says what raising or lowering the value costs. Durations are kept in nanoseconds; the builder
 * takes {@link Duration}s.
 *
 * <pre>{@code
 * PulseConfig config = PulseConfig.lan().toBuilder()
 *         .probeInterval(Duration.ofMillis(500))
 *         .build();
 * }</pre>
 *
 * <p>A bad value fails {@link Builder#build()} with an {@link IllegalArgumentException} that names the field, its
 * accepted range and the value given, for example
 * {@code "probeTimeout must be in [1ms, 30s] and below probeInterval (1s), was 2s"}.
 */
public final class PulseConfig {

    private static final PulseConfig LAN = new Builder().build();
    private static final PulseConfig WAN = LAN.toBuilder()
            .probeInterval(Duration.ofSeconds(5))
            .probeTimeout(Duration.ofSeconds(3))
            .probeTimeoutMin(Duration.ofMillis(500))
            .suspicionMultiplier(6)
            .gossipInterval(Duration.ofMillis(500))
            .gossipFanout(4)
            .gossipToTheDead(Duration.ofSeconds(60))
            .pushPullInterval(Duration.ofSeconds(60))
            .directMonitorInterval(Duration.ofSeconds(5))
            .build();
    private static final PulseConfig LOCAL = LAN.toBuilder()
            .probeTimeout(Duration.ofMillis(200))
            .probeTimeoutMin(Duration.ofMillis(20))
            .indirectChecks(1)
            .suspicionMultiplier(3)
            .gossipInterval(Duration.ofMillis(100))
            .gossipToTheDead(Duration.ofSeconds(15))
            .pushPullInterval(Duration.ofSeconds(15))
            .build();

    private final long probeIntervalNs;
    private final long probeTimeoutNs;
    private final long probeTimeoutMinNs;
    private final double probeTimeoutRttMultiplier;
    private final int indirectChecks;
    private final int suspicionMultiplier;
    private final int suspicionMaxTimeoutMultiplier;
    private final int retransmitMultiplier;
    private final long gossipIntervalNs;
    private final int gossipFanout;
    private final long gossipToTheDeadNs;
    private final long pushPullIntervalNs;
    private final boolean localHealth;
    private final int localHealthMax;
    private final int maxDatagramBytes;
    private final int metadataMaxBytes;
    private final int directMonitorThreshold;
    private final long directMonitorIntervalNs;
    private final int directMonitorMaxRetry;
    private final long joinRetryInitialNs;
    private final long joinRetryMaxNs;
    private final long deadMemberRetentionNs;
    private final int failureFeedCapacity;
    private final int subscriberBufferEvents;
    private final int maxMembers;
    private final long joinTimeoutNs;

    private PulseConfig(Builder b) {
        probeIntervalNs = b.probeIntervalNs;
        probeTimeoutNs = b.probeTimeoutNs;
        probeTimeoutMinNs = b.probeTimeoutMinNs;
        probeTimeoutRttMultiplier = b.probeTimeoutRttMultiplier;
        indirectChecks = b.indirectChecks;
        suspicionMultiplier = b.suspicionMultiplier;
        suspicionMaxTimeoutMultiplier = b.suspicionMaxTimeoutMultiplier;
        retransmitMultiplier = b.retransmitMultiplier;
        gossipIntervalNs = b.gossipIntervalNs;
        gossipFanout = b.gossipFanout;
        gossipToTheDeadNs = b.gossipToTheDeadNs;
        pushPullIntervalNs = b.pushPullIntervalNs;
        localHealth = b.localHealth;
        localHealthMax = b.localHealthMax;
        maxDatagramBytes = b.maxDatagramBytes;
        metadataMaxBytes = b.metadataMaxBytes;
        directMonitorThreshold = b.directMonitorThreshold;
        directMonitorIntervalNs = b.directMonitorIntervalNs;
        directMonitorMaxRetry = b.directMonitorMaxRetry;
        joinRetryInitialNs = b.joinRetryInitialNs;
        joinRetryMaxNs = b.joinRetryMaxNs;
        deadMemberRetentionNs = b.deadMemberRetentionNs;
        failureFeedCapacity = b.failureFeedCapacity;
        subscriberBufferEvents = b.subscriberBufferEvents;
        maxMembers = b.maxMembers;
        joinTimeoutNs = b.joinTimeoutNs;
    }

    /**
     * The preset for a data-centre LAN, and the default: a probe every second, at most 500 ms to answer, three
     * indirect checks, suspicion multiplier 3 (6 s minimum at 100 members). memberlist's LAN preset uses 4; pulse
     * takes 3 because Lifeguard's confirmations, the buddy system and gossip rounds let a live member refute well
     * inside 3 s on a LAN: in simulation, 200 members with 5% packet loss ran a virtual hour with no false positive
     * at 3, and detection is a quarter faster.
     */
    public static PulseConfig lan() {
        return LAN;
    }

    /**
     * The preset for wide-area links: probes every 5 s with 3 s to answer, a longer suspicion (multiplier 6) and
     * slower gossip, trading detection time for fewer false alarms over lossy, slow links.
     */
    public static PulseConfig wan() {
        return WAN;
    }

    /**
     * The preset for loopback and tests: the LAN probe interval with a 200 ms probe timeout, one indirect check,
     * suspicion multiplier 3 and faster gossip. Detects quickly; too impatient for a real network.
     */
    public static PulseConfig local() {
        return LOCAL;
    }

    /** A builder starting from the LAN preset. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Time between probes of successive members. Lower detects sooner and costs proportionally more messages
     * (about two per member per interval). Range [10 ms, 60 s]; LAN 1 s, WAN 5 s, LOCAL 1 s.
     */
    public long probeIntervalNs() {
        return probeIntervalNs;
    }

    /**
     * The longest a probe waits for a direct answer before asking others to probe indirectly. Lower reacts
     * sooner but mistakes a slow member for a dead one more often. Range [1 ms, 30 s], below
     * {@link #probeIntervalNs()}; LAN 500 ms, WAN 3 s, LOCAL 200 ms.
     */
    public long probeTimeoutNs() {
        return probeTimeoutNs;
    }

    /**
     * The shortest the adaptive probe timeout may become. The timeout used is the measured 99th-percentile round
     * trip to the target times {@link #probeTimeoutRttMultiplier()}, clamped to [this, {@link #probeTimeoutNs()}].
     * Range [100 µs, probeTimeout]; LAN 100 ms, WAN 500 ms, LOCAL 20 ms.
     */
    public long probeTimeoutMinNs() {
        return probeTimeoutMinNs;
    }

    /**
     * How many 99th-percentile round trips a probe waits before it gives up on a direct answer. Range [1, 100];
     * default 4.
     */
    public double probeTimeoutRttMultiplier() {
        return probeTimeoutRttMultiplier;
    }

    /**
     * How many other members are asked to probe a member that did not answer (the Go package's PickThree). More
     * makes a false suspicion from one bad link less likely and costs two messages each per failed probe.
     * Range [0, 16], 0 meaning no indirect probes; LAN 3, LOCAL 1.
     */
    public int indirectChecks() {
        return indirectChecks;
    }

    /**
     * Scales the minimum suspicion timeout: min = multiplier × max(1, log10 n) × probe interval. Higher gives a
     * suspected member longer to refute (fewer false positives) and delays real detections. Range [1, 100];
     * LAN 3, WAN 6, LOCAL 3.
     */
    public int suspicionMultiplier() {
        return suspicionMultiplier;
    }

    /**
     * The suspicion timeout starts at this multiple of its minimum and shrinks toward the minimum as other
     * members independently confirm the suspicion (Lifeguard). Range [1, 100]; default 6.
     */
    public int suspicionMaxTimeoutMultiplier() {
        return suspicionMaxTimeoutMultiplier;
    }

    /**
     * Each membership update is piggybacked at most multiplier × ceil(log10(n + 1)) times. Higher spreads news more
     * reliably under loss and uses more of every packet. Range [1, 100]; 4 in every preset. (memberlist's LOCAL
     * uses 2; with it, a refutation reaches each member with only about 1 - e^-4 certainty, and the simulator's
     * nightly properties found a 2 s pause of one of 46 members declared DEAD by the three it missed. On loopback
     * the extra piggybacked bytes cost nothing.)
     */
    public int retransmitMultiplier() {
        return retransmitMultiplier;
    }

    /**
     * Time between gossip rounds, in which pending updates are sent to {@link #gossipFanout()} random members
     * without waiting for the next probe. Lower spreads news faster and sends more packets while news is pending
     * (nothing is sent when there is no news). Range [1 ms, 60 s]; LAN 200 ms, WAN 500 ms, LOCAL 100 ms.
     */
    public long gossipIntervalNs() {
        return gossipIntervalNs;
    }

    /** Members each gossip round sends to. Range [1, 64]; LAN 3, WAN 4, LOCAL 3. */
    public int gossipFanout() {
        return gossipFanout;
    }

    /**
     * How long a member declared dead or gone may still be chosen as a gossip target, so that a member wrongly
     * declared dead hears it and refutes. Range [0, 1 h]; LAN 30 s, WAN 60 s, LOCAL 15 s.
     */
    public long gossipToTheDeadNs() {
        return gossipToTheDeadNs;
    }

    /**
     * Time between full-state exchanges with one random member (anti-entropy). Lower repairs missed gossip and
     * healed partitions sooner and costs a full state transfer each time; pulse stretches it with log2 of the
     * cluster size beyond 32 members. Range [1 s, 1 h]; LAN 30 s, WAN 60 s, LOCAL 15 s.
     */
    public long pushPullIntervalNs() {
        return pushPullIntervalNs;
    }

    /**
     * Whether Lifeguard's local health multiplier is on: a node that misses acks and nacks, or must refute
     * suspicions of itself, stretches its own probe interval and timeouts, so that a starved node stops accusing
     * healthy ones; answered probes lower it again. It works in both modes: in hybrid mode an answered pulse lowers
     * the score (at most once per stretched probe interval, as SWIM's one probe a period does), a pulse cycle that ends
     * unanswered raises it by the helpers that did not even nack (by one without helpers), and the pulse cycle, its
     * retries and its indirect wait stretch with it. Default on; turning it off exists
     * for measurement.
     */
    public boolean localHealth() {
        return localHealth;
    }

    /**
     * The highest local health score; the probe interval and timeouts are multiplied by (score + 1). Range [1, 64];
     * default 8.
     */
    public int localHealthMax() {
        return localHealthMax;
    }

    /**
     * The largest datagram a node sends; piggybacked updates fill packets up to it. Must fit the path MTU to avoid
     * fragmentation. Range [512, 65507]; default 1400.
     */
    public int maxDatagramBytes() {
        return maxDatagramBytes;
    }

    /**
     * The largest metadata a member may publish; larger metadata is refused at the API and dropped from the wire.
     * Range [0, 4096] and at most maxDatagramBytes − 128; default 512.
     */
    public int metadataMaxBytes() {
        return metadataMaxBytes;
    }

    /**
     * While the cluster has at most this many members, a full node monitors every member directly, as a
     * coordinator does (the Go package's hybrid mode), instead of SWIM's one probe per period; above it, SWIM
     * probing alone. Every node then gathers its own evidence and suspicions are confirmed at once by many
     * members, at a price: each node sends about two datagrams per member per {@link #directMonitorIntervalNs()}
     * (measured on loopback: 98 per member per second at 50 members, 198 at 100, 6 to 14 times memberlist's CPU)
     * instead of SWIM's two per period, whatever the size. Range [0, 100000]; default 0 in every preset: SWIM with
     * Lifeguard alone. {@link Builder#hybridMonitoring()} sets the Go package's value, 100. Lifeguard's local health
     * works in both modes (in hybrid mode missed pulses and nacks raise it, answered pulses lower it).
     */
    public int directMonitorThreshold() {
        return directMonitorThreshold;
    }

    /**
     * The time between direct pulses in hybrid mode. Range [10 ms, 60 s]; LAN 1 s, WAN 5 s, LOCAL 1 s.
     */
    public long directMonitorIntervalNs() {
        return directMonitorIntervalNs;
    }

    /** Direct retries in hybrid mode before indirect pulses are tried. Range [0, 255]; default 2. */
    public int directMonitorMaxRetry() {
        return directMonitorMaxRetry;
    }

    /** The first wait before a join is retried when no seed answered. Range [10 ms, 60 s]; default 200 ms. */
    public long joinRetryInitialNs() {
        return joinRetryInitialNs;
    }

    /**
     * The longest wait between join attempts; waits double from {@link #joinRetryInitialNs()} up to this.
     * Range [joinRetryInitial, 10 min]; default 10 s.
     */
    public long joinRetryMaxNs() {
        return joinRetryMaxNs;
    }

    /**
     * How long a member that is dead or left stays in the member table before it is forgotten. It must outlive
     * gossip about it, or a stale rumour could bring it back. Range [gossipToTheDead, 24 h]; default 5 min.
     */
    public long deadMemberRetentionNs() {
        return deadMemberRetentionNs;
    }

    /** Capacity of the {@link FailureFeed}. Range [1, 1,000,000]; default 1024. */
    public int failureFeedCapacity() {
        return failureFeedCapacity;
    }

    /** Events buffered per subscriber before the oldest are dropped. Range [1, 1,000,000]; default 4096. */
    public int subscriberBufferEvents() {
        return subscriberBufferEvents;
    }

    /**
     * The most members a node's table holds, in any state, itself included. A member that gossip or a state
     * transfer announces while the table is full is refused and counted ({@code rejectedMembers}); it is taken
     * once dead or departed members have been forgotten ({@link #deadMemberRetentionNs()}) and it is announced
     * again. This bounds what a host that can reach the port without a key can make a node hold: memory (about
     * 130 bytes a member) and the size of a state transfer (about 16 bytes a member). Raising it admits larger
     * clusters and lets such a host fill more memory; a value below the cluster size keeps members apart that
     * should know each other. Adding members by API ({@code bootstrap}, {@code addPulser}) beyond it fails.
     * Range [2, 4,194,304]; default 16,384.
     */
    public int maxMembers() {
        return maxMembers;
    }

    /**
     * How long a join waits for any seed to answer before its future fails with a
     * {@link java.util.concurrent.TimeoutException} that names the seeds. The node goes on retrying afterwards (every
     * {@link #joinRetryMaxNs()} at most), so a seed that comes up later still lets it in; the timeout is for the
     * application, which can wait on, join through other seeds, or give up. Lower reports a wrong address, port or
     * key sooner; raise it where members routinely start before their seeds. Range [10 ms, 24 h]; default 30 s
     * (the agent's {@code --join-timeout} default): about eight attempts at the default backoff.
     */
    public long joinTimeoutNs() {
        return joinTimeoutNs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PulseConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "PulseConfig[probeInterval=" + fmt(probeIntervalNs) + ", probeTimeout=" + fmt(probeTimeoutNs)
                + ", probeTimeoutMin=" + fmt(probeTimeoutMinNs) + ", probeTimeoutRttMultiplier="
                + probeTimeoutRttMultiplier + ", indirectChecks=" + indirectChecks + ", suspicionMultiplier="
                + suspicionMultiplier + ", suspicionMaxTimeoutMultiplier=" + suspicionMaxTimeoutMultiplier
                + ", retransmitMultiplier=" + retransmitMultiplier + ", gossipInterval=" + fmt(gossipIntervalNs)
                + ", gossipFanout=" + gossipFanout + ", gossipToTheDead=" + fmt(gossipToTheDeadNs)
                + ", pushPullInterval=" + fmt(pushPullIntervalNs) + ", localHealth=" + localHealth
                + ", localHealthMax=" + localHealthMax + ", maxDatagramBytes=" + maxDatagramBytes
                + ", metadataMaxBytes=" + metadataMaxBytes + ", directMonitorThreshold=" + directMonitorThreshold
                + ", directMonitorInterval=" + fmt(directMonitorIntervalNs) + ", directMonitorMaxRetry="
                + directMonitorMaxRetry + ", joinRetryInitial=" + fmt(joinRetryInitialNs) + ", joinRetryMax="
                + fmt(joinRetryMaxNs) + ", deadMemberRetention=" + fmt(deadMemberRetentionNs)
                + ", failureFeedCapacity=" + failureFeedCapacity + ", subscriberBufferEvents="
                + subscriberBufferEvents + ", maxMembers=" + maxMembers + ", joinTimeout=" + fmt(joinTimeoutNs) + "]";
    }

    /** Formats nanoseconds as the largest exact unit up to seconds: {@code 90s}, {@code 500ms}, {@code 100µs}, {@code 7ns}. */
    static String fmt(long ns) {
        if (ns != 0 && ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + "s";
        }
        if (ns != 0 && ns % 1_000_000L == 0) {
            return ns / 1_000_000L + "ms";
        }
        if (ns != 0 && ns % 1_000L == 0) {
            return ns / 1_000L + "µs";
        }
        return ns + "ns";
    }

    /**
     * Builds a {@link PulseConfig}. Setters record values; {@link #build()} checks them all. Not thread-safe.
     */
    public static final class Builder {
        private long probeIntervalNs = 1_000_000_000L;
        private long probeTimeoutNs = 500_000_000L;
        private long probeTimeoutMinNs = 100_000_000L;
        private double probeTimeoutRttMultiplier = 4.0;
        private int indirectChecks = 3;
        private int suspicionMultiplier = 3;
        private int suspicionMaxTimeoutMultiplier = 6;
        private int retransmitMultiplier = 4;
        private long gossipIntervalNs = 200_000_000L;
        private int gossipFanout = 3;
        private long gossipToTheDeadNs = 30_000_000_000L;
        private long pushPullIntervalNs = 30_000_000_000L;
        private boolean localHealth = true;
        private int localHealthMax = 8;
        private int maxDatagramBytes = 1400;
        private int metadataMaxBytes = 512;
        private int directMonitorThreshold = 0;
        private long directMonitorIntervalNs = 1_000_000_000L;
        private int directMonitorMaxRetry = 2;
        private long joinRetryInitialNs = 200_000_000L;
        private long joinRetryMaxNs = 10_000_000_000L;
        private long deadMemberRetentionNs = 300_000_000_000L;
        private int failureFeedCapacity = 1024;
        private int subscriberBufferEvents = 4096;
        private int maxMembers = 16_384;
        private long joinTimeoutNs = 30_000_000_000L;

        private Builder() {
        }

        private Builder(PulseConfig c) {
            probeIntervalNs = c.probeIntervalNs;
            probeTimeoutNs = c.probeTimeoutNs;
            probeTimeoutMinNs = c.probeTimeoutMinNs;
            probeTimeoutRttMultiplier = c.probeTimeoutRttMultiplier;
            indirectChecks = c.indirectChecks;
            suspicionMultiplier = c.suspicionMultiplier;
            suspicionMaxTimeoutMultiplier = c.suspicionMaxTimeoutMultiplier;
            retransmitMultiplier = c.retransmitMultiplier;
            gossipIntervalNs = c.gossipIntervalNs;
            gossipFanout = c.gossipFanout;
            gossipToTheDeadNs = c.gossipToTheDeadNs;
            pushPullIntervalNs = c.pushPullIntervalNs;
            localHealth = c.localHealth;
            localHealthMax = c.localHealthMax;
            maxDatagramBytes = c.maxDatagramBytes;
            metadataMaxBytes = c.metadataMaxBytes;
            directMonitorThreshold = c.directMonitorThreshold;
            directMonitorIntervalNs = c.directMonitorIntervalNs;
            directMonitorMaxRetry = c.directMonitorMaxRetry;
            joinRetryInitialNs = c.joinRetryInitialNs;
            joinRetryMaxNs = c.joinRetryMaxNs;
            deadMemberRetentionNs = c.deadMemberRetentionNs;
            failureFeedCapacity = c.failureFeedCapacity;
            subscriberBufferEvents = c.subscriberBufferEvents;
            maxMembers = c.maxMembers;
            joinTimeoutNs = c.joinTimeoutNs;
        }

        /** See {@link PulseConfig#probeIntervalNs()}. */
        public Builder probeInterval(Duration d) {
            probeIntervalNs = nanos(d, "probeInterval");
            return this;
        }

        /** See {@link PulseConfig#probeTimeoutNs()}. */
        public Builder probeTimeout(Duration d) {
            probeTimeoutNs = nanos(d, "probeTimeout");
            return this;
        }

        /** See {@link PulseConfig#probeTimeoutMinNs()}. */
        public Builder probeTimeoutMin(Duration d) {
            probeTimeoutMinNs = nanos(d, "probeTimeoutMin");
            return this;
        }

        /** See {@link PulseConfig#probeTimeoutRttMultiplier()}. */
        public Builder probeTimeoutRttMultiplier(double v) {
            probeTimeoutRttMultiplier = v;
            return this;
        }

        /** See {@link PulseConfig#indirectChecks()}. */
        public Builder indirectChecks(int v) {
            indirectChecks = v;
            return this;
        }

        /** See {@link PulseConfig#suspicionMultiplier()}. */
        public Builder suspicionMultiplier(int v) {
            suspicionMultiplier = v;
            return this;
        }

        /** See {@link PulseConfig#suspicionMaxTimeoutMultiplier()}. */
        public Builder suspicionMaxTimeoutMultiplier(int v) {
            suspicionMaxTimeoutMultiplier = v;
            return this;
        }

        /** See {@link PulseConfig#retransmitMultiplier()}. */
        public Builder retransmitMultiplier(int v) {
            retransmitMultiplier = v;
            return this;
        }

        /** See {@link PulseConfig#gossipIntervalNs()}. */
        public Builder gossipInterval(Duration d) {
            gossipIntervalNs = nanos(d, "gossipInterval");
            return this;
        }

        /** See {@link PulseConfig#gossipFanout()}. */
        public Builder gossipFanout(int v) {
            gossipFanout = v;
            return this;
        }

        /** See {@link PulseConfig#gossipToTheDeadNs()}. */
        public Builder gossipToTheDead(Duration d) {
            gossipToTheDeadNs = nanos(d, "gossipToTheDead");
            return this;
        }

        /** See {@link PulseConfig#pushPullIntervalNs()}. */
        public Builder pushPullInterval(Duration d) {
            pushPullIntervalNs = nanos(d, "pushPullInterval");
            return this;
        }

        /** See {@link PulseConfig#localHealth()}. */
        public Builder localHealth(boolean on) {
            localHealth = on;
            return this;
        }

        /** See {@link PulseConfig#localHealthMax()}. */
        public Builder localHealthMax(int v) {
            localHealthMax = v;
            return this;
        }

        /** See {@link PulseConfig#maxDatagramBytes()}. */
        public Builder maxDatagramBytes(int v) {
            maxDatagramBytes = v;
            return this;
        }

        /** See {@link PulseConfig#metadataMaxBytes()}. */
        public Builder metadataMaxBytes(int v) {
            metadataMaxBytes = v;
            return this;
        }

        /** See {@link PulseConfig#directMonitorThreshold()}. */
        public Builder directMonitorThreshold(int v) {
            directMonitorThreshold = v;
            return this;
        }

        /**
         * The Go package's heartbeat mode: every member monitored directly while the cluster has at most 100
         * members ({@code directMonitorThreshold(100)}). It costs about 2(n - 1) datagrams per member per
         * {@link PulseConfig#directMonitorIntervalNs()}, against SWIM's two per probe period; see
         * {@link PulseConfig#directMonitorThreshold()}.
         */
        public Builder hybridMonitoring() {
            return directMonitorThreshold(100);
        }

        /** See {@link PulseConfig#directMonitorIntervalNs()}. */
        public Builder directMonitorInterval(Duration d) {
            directMonitorIntervalNs = nanos(d, "directMonitorInterval");
            return this;
        }

        /** See {@link PulseConfig#directMonitorMaxRetry()}. */
        public Builder directMonitorMaxRetry(int v) {
            directMonitorMaxRetry = v;
            return this;
        }

        /** See {@link PulseConfig#joinRetryInitialNs()}. */
        public Builder joinRetryInitial(Duration d) {
            joinRetryInitialNs = nanos(d, "joinRetryInitial");
            return this;
        }

        /** See {@link PulseConfig#joinRetryMaxNs()}. */
        public Builder joinRetryMax(Duration d) {
            joinRetryMaxNs = nanos(d, "joinRetryMax");
            return this;
        }

        /** See {@link PulseConfig#deadMemberRetentionNs()}. */
        public Builder deadMemberRetention(Duration d) {
            deadMemberRetentionNs = nanos(d, "deadMemberRetention");
            return this;
        }

        /** See {@link PulseConfig#failureFeedCapacity()}. */
        public Builder failureFeedCapacity(int v) {
            failureFeedCapacity = v;
            return this;
        }

        /** See {@link PulseConfig#subscriberBufferEvents()}. */
        public Builder subscriberBufferEvents(int v) {
            subscriberBufferEvents = v;
            return this;
        }

        /** See {@link PulseConfig#maxMembers()}. */
        public Builder maxMembers(int v) {
            maxMembers = v;
            return this;
        }

        /** See {@link PulseConfig#joinTimeoutNs()}. */
        public Builder joinTimeout(Duration d) {
            joinTimeoutNs = nanos(d, "joinTimeout");
            return this;
        }

        /**
         * Checks every value and relation and returns the configuration.
         *
         * @throws IllegalArgumentException naming the first bad field, its accepted range and the value given
         */
        public PulseConfig build() {
            range("probeInterval", probeIntervalNs, ms(10), s(60));
            if (probeTimeoutNs < ms(1) || probeTimeoutNs > s(30) || probeTimeoutNs >= probeIntervalNs) {
                throw new IllegalArgumentException("probeTimeout must be in [1ms, 30s] and below probeInterval ("
                        + fmt(probeIntervalNs) + "), was " + fmt(probeTimeoutNs));
            }
            if (probeTimeoutMinNs < 100_000L || probeTimeoutMinNs > probeTimeoutNs) {
                throw new IllegalArgumentException("probeTimeoutMin must be in [100µs, probeTimeout ("
                        + fmt(probeTimeoutNs) + ")], was " + fmt(probeTimeoutMinNs));
            }
            if (!(probeTimeoutRttMultiplier >= 1.0 && probeTimeoutRttMultiplier <= 100.0)) {
                throw new IllegalArgumentException("probeTimeoutRttMultiplier must be in [1, 100], was "
                        + probeTimeoutRttMultiplier);
            }
            range("indirectChecks", indirectChecks, 0, 16);
            range("suspicionMultiplier", suspicionMultiplier, 1, 100);
            range("suspicionMaxTimeoutMultiplier", suspicionMaxTimeoutMultiplier, 1, 100);
            range("retransmitMultiplier", retransmitMultiplier, 1, 100);
            range("gossipInterval", gossipIntervalNs, ms(1), s(60));
            range("gossipFanout", gossipFanout, 1, 64);
            range("gossipToTheDead", gossipToTheDeadNs, 0, s(3600));
            range("pushPullInterval", pushPullIntervalNs, s(1), s(3600));
            range("localHealthMax", localHealthMax, 1, 64);
            range("maxDatagramBytes", maxDatagramBytes, 512, 65507);
            if (metadataMaxBytes < 0 || metadataMaxBytes > 4096 || metadataMaxBytes > maxDatagramBytes - 128) {
                throw new IllegalArgumentException("metadataMaxBytes must be in [0, 4096] and at most "
                        + "maxDatagramBytes - 128 (" + (maxDatagramBytes - 128) + "), was " + metadataMaxBytes);
            }
            range("directMonitorThreshold", directMonitorThreshold, 0, 100_000);
            range("directMonitorInterval", directMonitorIntervalNs, ms(10), s(60));
            range("directMonitorMaxRetry", directMonitorMaxRetry, 0, 255);
            range("joinRetryInitial", joinRetryInitialNs, ms(10), s(60));
            if (joinRetryMaxNs < joinRetryInitialNs || joinRetryMaxNs > s(600)) {
                throw new IllegalArgumentException("joinRetryMax must be in [joinRetryInitial ("
                        + fmt(joinRetryInitialNs) + "), 10min], was " + fmt(joinRetryMaxNs));
            }
            if (deadMemberRetentionNs < gossipToTheDeadNs || deadMemberRetentionNs > s(86_400)) {
                throw new IllegalArgumentException("deadMemberRetention must be in [gossipToTheDead ("
                        + fmt(gossipToTheDeadNs) + "), 24h], was " + fmt(deadMemberRetentionNs));
            }
            range("failureFeedCapacity", failureFeedCapacity, 1, 1_000_000);
            range("subscriberBufferEvents", subscriberBufferEvents, 1, 1_000_000);
            range("maxMembers", maxMembers, 2, 4_194_304);
            range("joinTimeout", joinTimeoutNs, ms(10), s(86_400));
            return new PulseConfig(this);
        }

        private static long nanos(Duration d, String field) {
            Objects.requireNonNull(d, field);
            try {
                return d.toNanos();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(field + " is too long: " + d, e);
            }
        }

        private static long ms(long v) {
            return v * 1_000_000L;
        }

        private static long s(long v) {
            return v * 1_000_000_000L;
        }

        private static void range(String field, long ns, long min, long max) {
            if (ns < min || ns > max) {
                throw new IllegalArgumentException(field + " must be in [" + fmt(min) + ", " + fmt(max)
                        + "], was " + fmt(ns));
            }
        }

        private static void range(String field, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + v);
            }
        }
    }
}
