package io.pulse.engine;

import io.pulse.api.FailureMessage;
import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.Metadata;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.api.Status;
import io.pulse.engine.internal.BroadcastQueue;
import io.pulse.engine.internal.Counters;
import io.pulse.engine.internal.Formulas;
import io.pulse.engine.internal.FrameReader;
import io.pulse.engine.internal.FrameWriter;
import io.pulse.engine.internal.Incarnations;
import io.pulse.engine.internal.LocalHealth;
import io.pulse.engine.internal.LongIntMap;
import io.pulse.engine.internal.MemberTable;
import io.pulse.engine.internal.ProbeSchedule;
import io.pulse.engine.internal.TimerQueue;
import io.pulse.engine.internal.Wire;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * One pulse node's protocol, as a pure, deterministic state machine: SWIM with the Lifeguard extensions, plus the
 * Go package's pulser and coordinator roles.
 *
 * <p><b>The seam.</b> Every input method takes the current time, {@code nowNs}, from its caller; outputs (frames
 * to send, membership events) go to the {@link Effects} given at construction; timers are data, polled by the
 * driver: after any input, {@link #nextDeadlineNs()} tells when {@link #onTimers(long)} must next be called.
 * The node never reads a clock, sleeps, starts a thread, opens a socket or draws from an unseeded random source,
 * so the same inputs give the same outputs, which is what lets the simulator replay a run from its seed.
 *
 * <p><b>Threading.</b> Not thread-safe: exactly one thread (the real runtime's event loop, or the simulator)
 * calls it. Times passed in must never go backwards.
 *
 * <p><b>Bad input</b> from the network is checked whole before it is acted on; a malformed frame is dropped and
 * counted by reason in {@link #counters()}; nothing is thrown. Misuse of the API throws
 * {@link IllegalArgumentException} or {@link IllegalStateException}.
 *
 * <p><b>Incarnations</b> are 31-bit serial numbers, compared modulo 2^31 ({@link Incarnations}): a value is newer
 * than another when it is at most 2^30 - 1 ahead of it, around the circle. So no incarnation is a ceiling: a member
 * accused at any incarnation (a forged {@code SUSPECT(x, 2^31 - 1)} included) answers with one that every member
 * that took the accusation takes as newer, and no input can lock a live member out for good.
 */
public final class ProtocolNode {

    // timer kinds
    private static final int T_PROBE = 1;
    private static final int T_ACK_TIMEOUT = 2;
    private static final int T_RELAY_TIMEOUT = 3;
    private static final int T_SUSPICION = 4;
    private static final int T_GOSSIP = 5;
    private static final int T_PUSH_PULL = 6;
    private static final int T_REAP = 7;
    private static final int T_JOIN_RETRY = 8;
    private static final int T_MONITOR = 9;
    private static final int T_JOIN_DONE = 10;
    private static final int T_JOIN_SYNC = 11;
    private static final int T_JOIN_TIMEOUT = 12;

    // pending ping kinds
    private static final int P_PROBE = 1;
    private static final int P_RELAY = 2;
    private static final int P_MONITOR = 3;
    private static final int P_CHECK = 4;

    private static final int PICK_THREE = 3;
    /**
     * A frame's bytes beyond the metadata of the largest update it may have to carry alone: frame header with an
     * IPv6 sender (28), push-pull header (14), ALIVE of an IPv6 member without its metadata (28), CRC32C (4).
     */
    private static final int LARGEST_UPDATE_OVERHEAD = 74;
    /** Round trips above 10 s are recorded as 10 s: every timeout they feed is clamped far below that. */
    private static final long RTT_HIGHEST_US = 10_000_000L;

    private final Identifier self;
    private final PulseConfig config;
    private final Role role;
    private final RandomGenerator random;
    private final Effects effects;
    private final Instant epoch;
    private final Interner interner;

    private final MemberTable table;
    private final ProbeSchedule schedule;
    private final BroadcastQueue broadcasts;
    private final TimerQueue timers = new TimerQueue();
    private final LocalHealth health;
    private final FrameWriter writer;
    private final FrameReader reader;
    private final Counters counters = new Counters();
    private final BroadcastQueue.UpdateWriter updateWriter = new UpdateWriterImpl();
    private final AbstractHistogram rttHistogram = new IntCountsHistogram(RTT_HIGHEST_US, 2);
    private long rttTotalSamples;
    private long rttTotalUs;
    private long rttP99Ns;
    private int rttSamples;

    private final int selfSlot;
    private int incarnation;
    private Metadata metadata = Metadata.EMPTY;
    private boolean started;
    private boolean closed;
    private boolean responding = true;
    private boolean leaving;
    private int nextSeq;

    // pending pings: seq -> pool index
    private final LongIntMap pendingBySeq = new LongIntMap(64);
    private Pending[] pool = new Pending[16];
    private int[] freePending = new int[16];
    private int freePendingCount;
    private int poolSize;

    // the SWIM probe in progress, or -1
    private int probe = -1;

    // suspicions and direct monitors, by member slot
    private final LongIntMap suspicionIndex = new LongIntMap(16); // slot -> index in suspicionPool (sparse)
    private Suspicion[] suspicionPool = new Suspicion[16];
    private int[] freeSuspicions = new int[16];
    private int freeSuspicionCount;
    private int suspicionPoolSize;
    private Monitor[] monitors = new Monitor[16];
    private int pinnedCount;
    private boolean monitoring = true;
    private boolean hybrid;

    // join
    private Identifier[] seeds = new Identifier[0];
    private boolean[] seedAnswered = new boolean[0];
    private int seedsAnswered;
    private boolean joining;
    private long joinBackoffNs;
    private long joinToken;

    private int pushPullExchange;
    private long suspicionTokens;
    private boolean gossipArmed;
    // the time of the input being handled, for work queued deep inside it (arming the gossip timer)
    private long clockNs;
    /** Chosen members: room for the most any choice takes (2 x gossipFanout when leaving, indirectChecks). */
    private final int[] picks;
    private int[] scratch = new int[16];

    /**
     * Builds a node; it does nothing until {@link #start(long)}.
     *
     * @param self          the address peers reach this node at
     * @param config        the protocol's configuration
     * @param role          what the node does
     * @param random        the node's only source of randomness (seeded, in simulation)
     * @param effects       where outputs go
     * @param epoch         the wall-clock instant that time 0 of {@code nowNs} corresponds to (used only to stamp
     *                      events and statuses)
     * @param maxFrameBytes the largest frame the transport carries, at most the configured datagram size
     * @param interner      shares identities between nodes ({@link Interner#NONE} outside simulation)
     */
    public ProtocolNode(Identifier self, PulseConfig config, Role role, RandomGenerator random, Effects effects,
                        Instant epoch, int maxFrameBytes, Interner interner) {
        this.self = Objects.requireNonNull(self, "self");
        this.config = Objects.requireNonNull(config, "config");
        this.role = Objects.requireNonNull(role, "role");
        this.random = Objects.requireNonNull(random, "random");
        this.effects = Objects.requireNonNull(effects, "effects");
        this.epoch = Objects.requireNonNull(epoch, "epoch");
        this.interner = Objects.requireNonNull(interner, "interner");
        if (maxFrameBytes < 256) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 256, was " + maxFrameBytes);
        }
        if (maxFrameBytes < config.metadataMaxBytes() + LARGEST_UPDATE_OVERHEAD) {
            // every frame must hold one state-transfer chunk of the largest ALIVE, or that member cannot be sent
            throw new IllegalArgumentException("maxFrameBytes must be at least metadataMaxBytes ("
                    + config.metadataMaxBytes() + ") + " + LARGEST_UPDATE_OVERHEAD + ", was " + maxFrameBytes);
        }
        int frame = Math.min(maxFrameBytes, config.maxDatagramBytes());
        this.writer = new FrameWriter(frame);
        this.reader = new FrameReader(config.metadataMaxBytes());
        this.table = new MemberTable(16);
        this.schedule = new ProbeSchedule(table, random);
        this.broadcasts = new BroadcastQueue(table);
        this.health = new LocalHealth(config.localHealthMax(), config.localHealth());
        this.selfSlot = table.add(interner.intern(self), MemberTable.ALIVE, 0, 0);
        this.picks = new int[Math.max(PICK_THREE, Math.max(2 * config.gossipFanout(), config.indirectChecks()))];
    }

    // ------------------------------------------------------------------------------------------------ inputs

    /** Starts the node's periodic work (probing, gossip, push-pull, reaping; monitors for a coordinator). */
    public void start(long nowNs) {
        checkOpen();
        clockNs = Math.max(clockNs, nowNs);
        if (started) {
            return;
        }
        started = true;
        table.touch(selfSlot, nowNs);
        if (role == Role.FULL) {
            timers.add(nowNs + jitter(config.probeIntervalNs()), T_PROBE, 0, 0);
            if (broadcasts.pending() > 0) {
                gossipArmed = true;
                timers.add(nowNs + jitter(config.gossipIntervalNs()), T_GOSSIP, 0, 0);
            }
            timers.add(nowNs + jitter(pushPullInterval()), T_PUSH_PULL, 0, 0);
            timers.add(nowNs + reapInterval(), T_REAP, 0, 0);
            updateHybrid(nowNs);
        }
        if (role != Role.PULSER) {
            for (int s = 0; s < monitors.length; s++) {
                if (monitor(s) != null) {
                    scheduleMonitor(monitor(s), nowNs + jitter(monitor(s).delayNs));
                }
            }
        }
    }

    /**
     * Joins through {@code seeds}: sends each a push-pull of this node's state and asks for theirs, retrying with
     * exponential backoff while none answers. {@link Effects#joined(int)} reports the outcome; if no seed has
     * answered after {@link PulseConfig#joinTimeoutNs()}, {@link Effects#joinTimedOut(List)} says so once, and the
     * retries go on (a seed that comes up later still lets the node in) until one answers, or join is called again.
     */
    public void join(long nowNs, Collection<Identifier> seedList) {
        checkOpen();
        clockNs = Math.max(clockNs, nowNs);
        requireRole(Role.FULL, "join");
        if (seedList.isEmpty()) {
            throw new IllegalArgumentException("join needs at least one seed");
        }
        List<Identifier> others = new ArrayList<>();
        for (Identifier s : seedList) {
            if (!s.equals(self) && !others.contains(s)) {
                others.add(s);
            }
        }
        if (!started) {
            start(nowNs);
        }
        if (others.isEmpty()) {
            effects.joined(0);
            return;
        }
        seeds = others.toArray(new Identifier[0]);
        seedAnswered = new boolean[seeds.length];
        seedsAnswered = 0;
        joining = true;
        joinBackoffNs = config.joinRetryInitialNs();
        joinToken++;
        timers.add(nowNs + config.joinTimeoutNs(), T_JOIN_TIMEOUT, 0, joinToken);
        sendJoin(nowNs);
    }

    /**
     * Adds members known in advance (a static member list, or a simulation that starts from a formed cluster) as
     * ALIVE at incarnation 0, without gossip and without events. Members already known are left alone.
     *
     * @throws IllegalStateException if the table would then hold more than {@link PulseConfig#maxMembers()}
     */
    public void bootstrap(long nowNs, Collection<Identifier> known) {
        checkOpen();
        clockNs = Math.max(clockNs, nowNs);
        requireRole(Role.FULL, "bootstrap");
        int added = 0;
        for (Identifier id : known) {
            if (!id.equals(self) && table.find(id) < 0) {
                added++;
            }
        }
        if (table.size() + added > config.maxMembers()) {
            throw new IllegalStateException("bootstrap of " + added + " new members would hold "
                    + (table.size() + added) + " members, above maxMembers (" + config.maxMembers() + ")");
        }
        table.reserve(table.size() + known.size());
        for (Identifier id : known) {
            if (id.equals(self) || table.find(id) >= 0) {
                continue;
            }
            int slot = table.add(interner.intern(id), MemberTable.ALIVE, 0, nowNs);
            schedule.insert(slot);
        }
        updateHybrid(nowNs);
        if (hybrid) {
            for (int s = 0; s < table.highWater(); s++) {
                if (isRunning(s)) {
                    ensureHybridMonitor(nowNs, s);
                }
            }
        }
    }

    /**
     * Leaves gracefully: marks this node LEFT, gossips it at once to several members, and stops probing. The
     * node keeps answering pulses and gossiping until it is closed, so the news spreads.
     */
    public void leave(long nowNs) {
        checkOpen();
        clockNs = Math.max(clockNs, nowNs);
        if (leaving) {
            return;
        }
        leaving = true;
        table.setState(selfSlot, MemberTable.LEFT, nowNs);
        if (role == Role.FULL) {
            enqueue(selfSlot);
            int n = pickMembers(Math.min(picks.length, 2 * config.gossipFanout()), -1, true);
            for (int i = 0; i < n; i++) {
                sendGossip(table.id(picks[i]));
            }
        }
    }

    /** Stops all periodic work; later inputs are ignored. */
    public void close() {
        closed = true;
    }

    /** Whether pulses are answered. A stopped pulser stays bound but silent. */
    public void setResponding(boolean on) {
        responding = on;
    }

    /** Whether pulses are answered. */
    public boolean isResponding() {
        return responding && !closed;
    }

    /** Publishes new metadata: raises this node's incarnation and gossips it. */
    public void updateMetadata(long nowNs, Metadata newMetadata) {
        checkOpen();
        clockNs = Math.max(clockNs, nowNs);
        Objects.requireNonNull(newMetadata, "metadata");
        if (newMetadata.size() > config.metadataMaxBytes()) {
            throw new IllegalArgumentException("metadata must be at most metadataMaxBytes ("
                    + config.metadataMaxBytes() + ") bytes, was " + newMetadata.size());
        }
        metadata = newMetadata;
        incarnation = Incarnations.next(incarnation);
        table.setIncarnation(selfSlot, incarnation);
        table.setMetadata(selfSlot, newMetadata);
        if (role == Role.FULL) {
            enqueue(selfSlot);
        }
    }

    /**
     * Adds (or re-configures) a directly monitored member: the Go package's {@code AddPulser}.
     *
     * @param maxRetry 0 to 255
     * @param delayNs  at least 1 ms
     * @throws IllegalStateException if the member is new and the table holds {@link PulseConfig#maxMembers()}
     */
    public void addPulser(long nowNs, Identifier pulser, int maxRetry, long delayNs) {
        checkOpen();
        clockNs = Math.max(clockNs, nowNs);
        requireRole(Role.COORDINATOR, "addPulser");
        Objects.requireNonNull(pulser, "pulser");
        if (maxRetry < 0 || maxRetry > 255) {
            throw new IllegalArgumentException("maxRetry must be in [0, 255], was " + maxRetry);
        }
        if (delayNs < 1_000_000L || delayNs > 3_600_000_000_000L) {
            throw new IllegalArgumentException("delay must be in [1ms, 3600s], was " + Duration.ofNanos(delayNs));
        }
        if (pulser.equals(self)) {
            throw new IllegalArgumentException("a node cannot monitor itself: " + pulser);
        }
        int slot = table.find(pulser);
        if (slot < 0) {
            if (table.size() >= config.maxMembers()) {
                throw new IllegalStateException("the member table holds maxMembers (" + config.maxMembers()
                        + ") members already: cannot add " + pulser);
            }
            slot = table.add(interner.intern(pulser), MemberTable.PENDING, 0, nowNs);
        }
        Monitor m = monitor(slot);
        if (m == null) {
            m = new Monitor(slot, table.id(slot));
            putMonitor(slot, m);
        }
        if (!m.pinned) {
            m.pinned = true;
            pinnedCount++;
        }
        m.maxRetry = maxRetry;
        m.delayNs = delayNs;
        if (started && monitoring) {
            scheduleMonitor(m, nowNs);
        }
    }

    /** Stops monitoring a member added with {@link #addPulser}; returns whether it was monitored. */
    public boolean removePulser(long nowNs, Identifier pulser) {
        checkOpen();
        clockNs = Math.max(clockNs, nowNs);
        int slot = table.find(pulser);
        if (slot < 0 || monitor(slot) == null || !monitor(slot).pinned) {
            return false;
        }
        Monitor m = monitor(slot);
        m.pinned = false;
        pinnedCount--;
        releasePending(m.pending);
        m.pending = -1;
        m.token++;
        if (!(hybrid && isRunning(slot))) {
            putMonitor(slot, null);
        } else {
            m.maxRetry = config.directMonitorMaxRetry();
            m.delayNs = config.directMonitorIntervalNs();
            scheduleMonitor(m, nowNs + m.delayNs);
        }
        if (role == Role.COORDINATOR || table.state(slot) == MemberTable.PENDING) {
            forgetMember(slot);
        }
        return true;
    }

    /** Starts pulsing every monitored member (the Go package's {@code StartAllPulser}). */
    public void startAllPulsers(long nowNs) {
        checkOpen();
        clockNs = Math.max(clockNs, nowNs);
        if (monitoring) {
            return;
        }
        monitoring = true;
        if (started) {
            for (Monitor m : monitors) {
                if (m != null) {
                    scheduleMonitor(m, nowNs);
                }
            }
        }
    }

    /** Stops pulsing every monitored member; the list is kept (the Go package's {@code StopAllPulser}). */
    public void stopAllPulsers() {
        checkOpen();
        monitoring = false;
        for (Monitor m : monitors) {
            if (m != null) {
                m.token++;
                releasePending(m.pending);
                m.pending = -1;
                m.phase = Monitor.IDLE;
            }
        }
    }

    /**
     * Fires every timer due at {@code nowNs}.
     *
     * <p>A handler that throws (a bug, or an {@link Effects} that throws) ends this call with its exception; the
     * timers still due stay due, for the driver to fire at once. Periodic work (probing, direct monitoring, gossip,
     * push-pull, reaping, join retries) and a suspicion's last check arm their next timer whatever their handler
     * does, so one exception never stops them for good.
     */
    public void onTimers(long nowNs) {
        clockNs = Math.max(clockNs, nowNs);
        while (!closed && timers.due(nowNs)) {
            int kind = timers.peekKind();
            int arg = timers.peekArg();
            long token = timers.peekToken();
            timers.pop();
            switch (kind) {
                case T_PROBE -> probeTick(nowNs);
                case T_ACK_TIMEOUT -> ackTimeout(nowNs, arg, token);
                case T_RELAY_TIMEOUT -> relayTimeout(arg, token);
                case T_SUSPICION -> suspicionTimeout(nowNs, arg, token);
                case T_GOSSIP -> gossipTick(nowNs);
                case T_PUSH_PULL -> pushPullTick(nowNs);
                case T_REAP -> reapTick(nowNs);
                case T_JOIN_RETRY -> joinRetry(nowNs, token);
                case T_MONITOR -> monitorTimer(nowNs, arg, token);
                case T_JOIN_DONE -> joinDone(token);
                case T_JOIN_SYNC -> joinSync(token);
                case T_JOIN_TIMEOUT -> joinTimeout(token);
                default -> throw new IllegalStateException("unknown timer kind " + kind);
            }
        }
    }

    /** When {@link #onTimers(long)} must next be called; {@link Long#MAX_VALUE} if never. */
    public long nextDeadlineNs() {
        if (closed) {
            return Long.MAX_VALUE;
        }
        // drop timers that can no longer do anything, so that a driver never wakes the node for nothing
        while (!timers.isEmpty() && isStale(timers.peekKind(), timers.peekArg(), timers.peekToken())) {
            timers.pop();
        }
        return timers.nextDeadlineNs();
    }

    private boolean isStale(int kind, int arg, long token) {
        switch (kind) {
            case T_ACK_TIMEOUT -> {
                Pending p = pool[arg];
                return p == null || p.seq != (int) token || p.kind != P_PROBE || p.acked || probe != arg;
            }
            case T_RELAY_TIMEOUT -> {
                Pending p = pool[arg];
                return p == null || p.seq != (int) token || p.kind != P_RELAY
                        || pendingBySeq.get(token & 0xffffffffL) != arg;
            }
            case T_SUSPICION -> {
                Suspicion s = suspicion(arg);
                return s == null || s.token != token || table.state(arg) != MemberTable.SUSPECT;
            }
            case T_MONITOR -> {
                Monitor m = monitor(arg);
                return m == null || m.token != token || !monitoring;
            }
            case T_JOIN_RETRY -> {
                return !joining || token != joinToken || seedsAnswered > 0;
            }
            case T_JOIN_DONE -> {
                return !joining || token != joinToken;
            }
            case T_JOIN_TIMEOUT -> {
                return !joining || token != joinToken || seedsAnswered > 0;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Handles one received datagram. The buffer's bytes between position and limit are read during the call only;
     * its position and limit are left as they were.
     *
     * <p>{@code from} is the address the datagram came from, as the transport saw it; the frame's sender identity is
     * only what the frame claims. Answers to the datagram (an ack to a ping, a relayed ack or nack to a ping-req, a
     * full state transfer to a push-pull request or a join) go to {@code from}, never to the claimed identity:
     * otherwise one small datagram claiming another address would make this node send its whole state there
     * (amplification). Membership (who is known, who is probed) still goes by the claimed identity: on a plaintext
     * cluster any host that reaches the port can claim one (see docs/wire-format.md, "Admission").
     *
     * @param from the datagram's source address
     */
    public void onDatagram(long nowNs, Identifier from, ByteBuffer frame) {
        if (closed) {
            return;
        }
        Objects.requireNonNull(from, "from");
        clockNs = Math.max(clockNs, nowNs);
        counters.inc(Counters.DATAGRAMS_IN);
        counters.add(Counters.BYTES_IN, frame.remaining());
        int reason = reader.wrap(frame);
        if (reason != FrameReader.OK) {
            counters.dropped(reason);
            return;
        }
        int so = reader.senderOffset();
        int senderSlot = findSlot(so);
        Identifier sender = senderSlot >= 0 ? table.id(senderSlot) : senderIdentity(so);
        if (senderSlot == selfSlot) {
            return; // our own frame, looped back
        }
        if (senderSlot >= 0) {
            table.touch(senderSlot, nowNs);
        }
        boolean stateTransfer = false;
        int ppFlags = 0;
        transferCursor = -1;
        accusedInFrame = false;
        senderTold = false;
        while (reader.next()) {
            int b = reader.body();
            switch (reader.type()) {
                case Wire.PING -> onPing(nowNs, from, senderSlot, reader.int32(b), b + 4);
                case Wire.ACK -> onAck(nowNs, sender, reader.int32(b));
                case Wire.NACK -> onNack(reader.int32(b));
                case Wire.PING_REQ -> onPingReq(nowNs, from, reader.int32(b), b + 4);
                case Wire.PUSH_PULL -> {
                    stateTransfer = true;
                    ppFlags = reader.uint8(b);
                    counters.inc(Counters.PUSH_PULLS);
                }
                default -> {
                    if (role == Role.FULL) {
                        counters.inc(Counters.UPDATES_RECEIVED);
                        onUpdate(nowNs, reader.type(), b, stateTransfer);
                    }
                }
            }
        }
        // (a frame of our own returned above, so the sender is never this node)
        if (!stateTransfer && role == Role.FULL) {
            boolean answer = accusedInFrame && !leaving;
            boolean tell = !senderTold && senderSlot >= 0 && isAccused(senderSlot);
            if (answer || tell) {
                answerPeer(nowNs, sender, from, senderSlot, answer, tell);
            }
        }
        if (stateTransfer && role == Role.FULL) {
            if ((ppFlags & Wire.PP_REPLY_WANTED) != 0 && !leaving) {
                sendState(from, 0); // to the source, not the claimed sender: no state to an address that did not ask
            }
            if (joining) {
                seedAnswer(nowNs, sender);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- queries

    /** This node's address. */
    public Identifier self() {
        return self;
    }

    /** This node's role. */
    public Role role() {
        return role;
    }

    /** This node's incarnation number. */
    public long incarnation() {
        return incarnation;
    }

    /** This node's own state: ALIVE, or LEFT after {@link #leave}. */
    public State selfState() {
        return MemberTable.toState(table.state(selfSlot));
    }

    /** Lifeguard's local health score now (0 is healthy). */
    public int localHealth() {
        return health.score();
    }

    /** The state of {@code member} as this node sees it, if known. */
    public Optional<State> stateOf(Identifier member) {
        int slot = table.find(member);
        return slot < 0 ? Optional.empty() : Optional.of(MemberTable.toState(table.state(slot)));
    }

    /** The incarnation of {@code member} as this node last heard it, or -1 if unknown. */
    public long incarnationOf(Identifier member) {
        int slot = table.find(member);
        return slot < 0 ? -1 : table.incarnation(slot);
    }

    /** Members in the table, in any state, this node included. */
    public int knownMembers() {
        return table.size();
    }

    /** Members believed running (ALIVE or SUSPECT), this node included unless it left. */
    public int runningMembers() {
        return table.running();
    }

    /** What this node knows of one member. */
    public Optional<Status> status(Identifier id) {
        int slot = table.find(id);
        return slot < 0 ? Optional.empty() : Optional.of(statusOf(slot));
    }

    /** What this node knows of every member, ordered by identifier. */
    public List<Status> statusAll() {
        List<Status> out = new ArrayList<>(table.size());
        for (int s = 0; s < table.highWater(); s++) {
            if (table.state(s) != MemberTable.FREE && (role == Role.FULL || s != selfSlot)) {
                out.add(statusOf(s));
            }
        }
        out.sort(Comparator.comparing(Status::id));
        return out;
    }

    /** Members believed running, ordered by identifier. */
    public List<Identifier> members() {
        List<Identifier> out = new ArrayList<>();
        for (int s = 0; s < table.highWater(); s++) {
            if (isRunning(s)) {
                out.add(table.id(s));
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Every counter by name (see the engine's documentation of metrics). */
    public Map<String, Long> counters() {
        Map<String, Long> m = counters.snapshot();
        m.put("localHealth", (long) health.score());
        m.put("pendingBroadcasts", (long) broadcasts.pending());
        m.put("rttP99Us", rttP99Ns / 1000);
        m.put("rttSamples", rttTotalSamples);
        m.put("rttSumUs", rttTotalUs);
        return m;
    }

    /**
     * One counter's value, by the name {@link #counters()} uses. A convenience for tests and tools: it builds the
     * whole snapshot, so hot paths should read {@link #datagramsOut()} and {@link #bytesOut()} instead.
     */
    public long counter(String name) {
        Long v = counters().get(name);
        if (v == null) {
            throw new IllegalArgumentException("no counter named \"" + name + "\"; known: " + counters().keySet());
        }
        return v;
    }

    /** Datagrams and bytes sent so far: the cheap figures a simulator samples. */
    public long datagramsOut() {
        return counters.get(Counters.DATAGRAMS_OUT);
    }

    /** Bytes sent so far. */
    public long bytesOut() {
        return counters.get(Counters.BYTES_OUT);
    }

    // ------------------------------------------------------------------------------------------------ probing

    private void probeTick(long nowNs) {
        try {
            finishProbe(nowNs);
        } finally {
            // armed whatever the work does (see onTimers), with the health score the finished probe left
            timers.add(nowNs + health.scale(config.probeIntervalNs()), T_PROBE, 0, 0);
        }
        if (leaving || hybrid) {
            return;
        }
        int target = schedule.nextTarget(selfSlot);
        if (target < 0) {
            return;
        }
        int p = newPending(P_PROBE, table.id(target), nowNs);
        pool[p].slot = target;
        probe = p;
        sendPing(pool[p].seq, target, table.id(target));
        counters.inc(Counters.PROBES_SENT);
        long timeout = health.scale(Formulas.probeTimeoutNs(rttP99Ns, config.probeTimeoutRttMultiplier(),
                config.probeTimeoutMinNs(), config.probeTimeoutNs()));
        timers.add(nowNs + timeout, T_ACK_TIMEOUT, p, pool[p].seq);
    }

    private void finishProbe(long nowNs) {
        if (probe < 0) {
            return;
        }
        Pending p = pool[probe];
        if (p.acked) {
            health.apply(-1);
        } else {
            if (p.expectedNacks > 0) {
                if (p.nacks < p.expectedNacks) {
                    health.apply(p.expectedNacks - p.nacks);
                }
            } else {
                health.apply(1);
            }
            int slot = p.slot;
            if (table.id(slot) == p.target && isRunning(slot)) {
                suspect(nowNs, slot, table.incarnation(slot), self, false);
            }
        }
        releasePending(probe);
        probe = -1;
    }

    private void ackTimeout(long nowNs, int index, long seq) {
        Pending p = pool[index];
        if (p == null || p.seq != (int) seq || p.kind != P_PROBE || p.acked || probe != index) {
            return;
        }
        int n = pickMembers(Math.min(config.indirectChecks(), picks.length), p.slot, false);
        for (int i = 0; i < n; i++) {
            writer.begin(self);
            writer.putPingReq(p.seq, p.target);
            piggyback(-1);
            send(table.id(picks[i]));
            counters.inc(Counters.INDIRECT_PROBES_SENT);
        }
        p.expectedNacks = n;
    }

    private void sendPing(int seq, int slot, Identifier target) {
        writer.begin(self);
        int buddy = -1;
        if (slot >= 0 && role == Role.FULL && table.state(slot) == MemberTable.SUSPECT) {
            // the buddy system: a suspect hears of its suspicion from the member probing it. The record goes before
            // the ping, so that the suspect has refuted by the time it writes its ack, and the refutation rides it.
            if (writer.fits(updateWriter.bytes(slot) + FrameWriter.pingBytes(target))) {
                updateWriter.write(slot);
                broadcasts.countTransmit(slot, retransmitLimit());
                buddy = slot;
            }
        }
        writer.putPing(seq, target);
        piggyback(buddy);
        send(target);
    }

    /** Answers a ping to {@code source}, the datagram's source address. */
    private void onPing(long nowNs, Identifier source, int senderSlot, int seq, int targetOffset) {
        if (!reader.identityEquals(targetOffset, self)) {
            counters.inc(Counters.MISADDRESSED_PINGS);
            return;
        }
        if (!responding) {
            return;
        }
        writer.begin(self);
        writer.putAck(seq);
        if (role == Role.FULL && senderSlot >= 0 && isAccused(senderSlot)
                && writer.fits(updateWriter.bytes(senderSlot))) {
            // a member we hold suspect or dead is talking to us: tell it, so that it can refute
            updateWriter.write(senderSlot);
            senderTold = true;
        }
        piggyback(-1);
        send(source);
        counters.inc(Counters.ACKS_SENT);
    }

    private void onAck(long nowNs, Identifier sender, int seq) {
        int index = pendingBySeq.get(seq & 0xffffffffL);
        if (index < 0) {
            counters.inc(Counters.LATE_ACKS);
            return;
        }
        counters.inc(Counters.ACKS_RECEIVED);
        Pending p = pool[index];
        boolean direct = sender.equals(p.target);
        long rtt = nowNs - p.sentNs;
        switch (p.kind) {
            case P_PROBE -> {
                p.acked = true;
                if (direct && p.expectedNacks == 0) {
                    recordRtt(p.slot, rtt);
                }
            }
            case P_RELAY -> {
                writer.begin(self);
                writer.putAck(p.requesterSeq);
                piggyback(-1);
                send(p.requester);
                releasePending(index);
            }
            case P_MONITOR -> monitorAck(nowNs, p, direct, rtt);
            case P_CHECK -> releasePending(index); // its refutation, if any, rode the ack and is merged next
            default -> throw new IllegalStateException("unknown pending kind " + p.kind);
        }
    }

    private void onNack(int seq) {
        int index = pendingBySeq.get(seq & 0xffffffffL);
        counters.inc(Counters.NACKS_RECEIVED);
        if (index >= 0) {
            pool[index].nacks++;
        }
    }

    /** Relays a ping for {@code requester}, the datagram's source address, which gets the ack or nack. */
    private void onPingReq(long nowNs, Identifier requester, int seq, int targetOffset) {
        if (!responding || leaving) {
            return;
        }
        int slot = findSlot(targetOffset);
        Identifier target = slot >= 0 ? table.id(slot) : interner.intern(reader.identity(targetOffset));
        if (target.equals(self)) {
            return;
        }
        int p = newPending(P_RELAY, target, nowNs);
        pool[p].requester = requester;
        pool[p].requesterSeq = seq;
        pool[p].slot = slot;
        sendPing(pool[p].seq, slot, target);
        long timeout = Formulas.probeTimeoutNs(rttP99Ns, config.probeTimeoutRttMultiplier(),
                config.probeTimeoutMinNs(), config.probeTimeoutNs());
        timers.add(nowNs + timeout, T_RELAY_TIMEOUT, p, pool[p].seq);
    }

    private void relayTimeout(int index, long seq) {
        Pending p = pool[index];
        if (p == null || p.seq != (int) seq || p.kind != P_RELAY || pendingBySeq.get(seq & 0xffffffffL) != index) {
            return;
        }
        writer.begin(self);
        writer.putNack(p.requesterSeq);
        piggyback(-1);
        send(p.requester);
        counters.inc(Counters.NACKS_SENT);
        releasePending(index);
    }

    private void recordRtt(int slot, long rttNs) {
        table.recordRtt(slot, rttNs);
        long us = Math.max(1, Math.min(RTT_HIGHEST_US, rttNs / 1000));
        rttHistogram.recordValue(us);
        rttTotalSamples++;
        rttTotalUs += us;
        if (++rttSamples % 64 == 0 || rttSamples < 64) {
            rttP99Ns = rttHistogram.getValueAtPercentile(99.0) * 1000;
        }
        if (rttSamples >= 4096) {
            rttHistogram.reset();
            rttSamples = 0;
        }
    }

    // ------------------------------------------------------------------------------------------ direct monitors

    private void scheduleMonitor(Monitor m, long atNs) {
        m.token++;
        m.phase = Monitor.IDLE;
        releasePending(m.pending);
        m.pending = -1;
        timers.add(atNs, T_MONITOR, m.slot, m.token);
    }

    private void monitorTimer(long nowNs, int slot, long token) {
        Monitor m = monitor(slot);
        if (m == null || m.token != token || !monitoring) {
            return;
        }
        switch (m.phase) {
            case Monitor.IDLE -> {
                m.attempt = 0;
                monitorPing(nowNs, m);
            }
            case Monitor.AWAIT -> {
                if (m.attempt < m.maxRetry) {
                    m.attempt++;
                    monitorPing(nowNs, m);
                } else {
                    monitorIndirect(nowNs, m);
                }
            }
            case Monitor.INDIRECT -> monitorFailed(nowNs, m);
            default -> throw new IllegalStateException("unknown monitor phase " + m.phase);
        }
    }

    private void monitorPing(long nowNs, Monitor m) {
        releasePending(m.pending);
        int p = newPending(P_MONITOR, m.id, nowNs);
        pool[p].slot = m.slot;
        m.pending = p;
        m.phase = Monitor.AWAIT;
        if (m.attempt == 0) {
            m.cycleStartNs = nowNs;
        }
        try {
            sendPing(pool[p].seq, m.slot, m.id);
            counters.inc(Counters.PROBES_SENT);
        } finally {
            timers.add(nowNs + retrySpacing(m), T_MONITOR, m.slot, m.token);
        }
    }

    private long retrySpacing(Monitor m) {
        long rtt = m.histogram != null && m.histogram.getTotalCount() > 0
                ? m.histogram.getValueAtPercentile(99.0) * 1000 : table.rttUs(m.slot) * 1000L;
        return healthScaled(m, Formulas.probeTimeoutNs(rtt, config.probeTimeoutRttMultiplier(),
                config.probeTimeoutMinNs(), config.probeTimeoutNs()));
    }

    /**
     * Whether a monitor's outcomes feed Lifeguard's local health, and its waits stretch with it: a full node's
     * monitors do (hybrid mode's pulses are its probes, so the score works in every mode); a coordinator's pinned
     * pulsers keep the Go package's timing.
     */
    /** When an answered hybrid pulse last lowered the local health score. */
    private long healthLoweredNs = Long.MIN_VALUE / 2;

    private boolean healthAware(Monitor m) {
        return role == Role.FULL && !m.pinned;
    }

    private long healthScaled(Monitor m, long ns) {
        return healthAware(m) ? health.scale(ns) : ns;
    }

    private void monitorIndirect(long nowNs, Monitor m) {
        m.phase = Monitor.INDIRECT;
        Pending p = pool[m.pending];
        int n = pickMembers(Math.min(PICK_THREE, picks.length), m.slot, false);
        m.helpers = new Identifier[n];
        pool[m.pending].expectedNacks = n;
        try {
            for (int i = 0; i < n; i++) {
                m.helpers[i] = table.id(picks[i]);
                writer.begin(self);
                writer.putPingReq(p.seq, m.id);
                piggyback(-1);
                send(m.helpers[i]);
                counters.inc(Counters.INDIRECT_PROBES_SENT);
            }
        } finally {
            timers.add(nowNs + healthScaled(m, config.probeTimeoutNs()), T_MONITOR, m.slot, m.token);
        }
    }

    private void monitorFailed(long nowNs, Monitor m) {
        if (healthAware(m) && m.pending >= 0) {
            // as a SWIM probe that went unanswered: each helper that did not even nack is evidence against us
            Pending p = pool[m.pending];
            health.apply(p.expectedNacks > 0 ? p.expectedNacks - Math.min(p.nacks, p.expectedNacks) : 1);
        }
        releasePending(m.pending);
        m.pending = -1;
        m.failedRetries = m.attempt;
        m.failedHelpers = m.helpers == null ? List.of() : List.of(m.helpers);
        int slot = m.slot;
        try {
            if (role == Role.COORDINATOR) {
                byte st = table.state(slot);
                if (st != MemberTable.DEAD && st != MemberTable.LEFT) {
                    declareDead(nowNs, slot, table.incarnation(slot), self);
                }
            } else if (isRunning(slot)) {
                suspect(nowNs, slot, table.incarnation(slot), self, false);
            }
        } finally {
            m.phase = Monitor.IDLE;
            m.token++;
            timers.add(Math.max(nowNs, m.cycleStartNs + healthScaled(m, m.delayNs)), T_MONITOR, slot, m.token);
        }
    }

    private void monitorAck(long nowNs, Pending p, boolean direct, long rtt) {
        Monitor m = monitor(p.slot);
        if (m == null || m.pending < 0 || pool[m.pending] != p) {
            return;
        }
        if (direct && m.phase == Monitor.AWAIT) {
            recordRtt(m.slot, rtt);
            if (m.histogram == null) {
                // one significant digit and int counts: about 1 KB per directly monitored member
                m.histogram = new IntCountsHistogram(RTT_HIGHEST_US, 1);
            }
            m.histogram.recordValue(Math.max(1, Math.min(RTT_HIGHEST_US, rtt / 1000)));
        }
        if (healthAware(m) && nowNs - healthLoweredNs >= health.scale(config.probeIntervalNs())) {
            // at most once per (stretched) probe interval, as SWIM's one probe a period lowers it: with a pulse
            // per member per interval, every answered pulse lowering it would undo a slow node's misses at once
            health.apply(-1);
            healthLoweredNs = nowNs;
        }
        byte st = table.state(m.slot);
        try {
            if (st == MemberTable.PENDING || (role == Role.COORDINATOR && st == MemberTable.DEAD)) {
                // the Go package's first contact, or a monitored pulser back from the dead
                table.setState(m.slot, MemberTable.ALIVE, nowNs);
                table.touch(m.slot, nowNs);
                effects.publish(new MembershipEvent.Joined(m.id, table.incarnation(m.slot), table.metadata(m.slot),
                        at(nowNs)));
            }
        } finally {
            releasePending(m.pending);
            m.pending = -1;
            m.phase = Monitor.IDLE;
            m.token++;
            m.helpers = null;
            timers.add(Math.max(nowNs, m.cycleStartNs + healthScaled(m, m.delayNs)), T_MONITOR, m.slot, m.token);
        }
    }

    private void updateHybrid(long nowNs) {
        if (role != Role.FULL) {
            return;
        }
        boolean want = config.directMonitorThreshold() > 0 && table.running() <= config.directMonitorThreshold();
        if (want == hybrid) {
            return;
        }
        hybrid = want;
        for (int s = 0; s < table.highWater(); s++) {
            if (s == selfSlot) {
                continue;
            }
            if (want && isRunning(s)) {
                ensureHybridMonitor(nowNs, s);
            } else if (!want && monitor(s) != null && !monitor(s).pinned) {
                dropMonitor(s);
            }
        }
    }

    private void ensureHybridMonitor(long nowNs, int slot) {
        if (!hybrid || slot == selfSlot || monitor(slot) != null) {
            return;
        }
        Monitor m = new Monitor(slot, table.id(slot));
        m.maxRetry = config.directMonitorMaxRetry();
        m.delayNs = config.directMonitorIntervalNs();
        putMonitor(slot, m);
        if (started && monitoring) {
            scheduleMonitor(m, nowNs + jitter(m.delayNs));
        }
    }

    private void dropMonitor(int slot) {
        Monitor m = monitor(slot);
        if (m != null) {
            m.token++;
            releasePending(m.pending);
            if (m.pinned) {
                pinnedCount--;
            }
            putMonitor(slot, null);
        }
    }

    // ------------------------------------------------------------------------------------ membership updates

    private void onUpdate(long nowNs, byte type, int b, boolean stateTransfer) {
        int inc = reader.int32(b);
        int mo = b + 4;
        int slot = stateTransfer ? findSlotInTransfer(mo) : findSlot(mo);
        switch (type) {
            case Wire.ALIVE -> {
                int lenOffset = reader.skipIdentity(mo);
                int len = reader.uint16(lenOffset);
                if (slot == selfSlot) {
                    // newer than our incarnation, or at it with other metadata (a restarted process is at incarnation
                    // 1 again, which peers may hold with the metadata of the process before it): refute, so that
                    // our own record replaces theirs
                    if (!leaving && (Incarnations.newer(inc, incarnation)
                            || (inc == incarnation && !sameMetadata(lenOffset + 2, len, metadata)))) {
                        refute(inc);
                    }
                    return;
                }
                if (slot < 0) {
                    if (table.size() >= config.maxMembers()) {
                        counters.inc(Counters.REJECTED_MEMBERS); // a full table: see PulseConfig.maxMembers
                        return;
                    }
                    Identifier id = interner.intern(reader.identity(mo));
                    slot = table.add(id, MemberTable.ALIVE, inc, nowNs);
                    table.setMetadata(slot, readMetadata(lenOffset + 2, len));
                    table.touch(slot, nowNs);
                    schedule.insert(slot);
                    enqueue(slot);
                    effects.publish(new MembershipEvent.Joined(id, inc, table.metadata(slot), at(nowNs)));
                    ensureHybridMonitor(nowNs, slot);
                    updateHybrid(nowNs);
                    return;
                }
                byte old = table.state(slot);
                int oldInc = table.incarnation(slot);
                if (!wins(inc, MemberTable.ALIVE, oldInc, old)) {
                    return;
                }
                Metadata md = readMetadata(lenOffset + 2, len);
                boolean metaChanged = !md.equals(table.metadata(slot));
                table.setMetadata(slot, md);
                table.setIncarnation(slot, inc);
                if (old == MemberTable.ALIVE) {
                    if (metaChanged) {
                        effects.publish(new MembershipEvent.Updated(table.id(slot), inc, md, at(nowNs)));
                    }
                    enqueue(slot);
                    return;
                }
                becomeAlive(nowNs, slot, old);
                if (old == MemberTable.SUSPECT && metaChanged) {
                    // a suspect's refutation that carries new metadata: Alive says it is back, Updated what it
                    // now says (a member back from DEAD or LEFT is Joined, which carries its metadata)
                    effects.publish(new MembershipEvent.Updated(table.id(slot), inc, md, at(nowNs)));
                }
            }
            case Wire.SUSPECT -> {
                Identifier accuser = accuserAt(reader.skipIdentity(mo));
                if (slot == selfSlot) {
                    selfAccused(inc);
                    return;
                }
                if (slot >= 0) {
                    suspect(nowNs, slot, inc, accuser, true);
                }
            }
            case Wire.DEAD -> {
                Identifier accuser = accuserAt(reader.skipIdentity(mo));
                if (slot == selfSlot) {
                    selfAccused(inc);
                    return;
                }
                if (slot < 0) {
                    return;
                }
                if (stateTransfer) {
                    // a state transfer's verdict is second-hand: suspect, and let the member refute
                    suspect(nowNs, slot, inc, accuser, true);
                } else if (wins(inc, MemberTable.DEAD, table.incarnation(slot), table.state(slot))) {
                    declareDead(nowNs, slot, inc, accuser);
                }
            }
            case Wire.LEFT -> {
                if (slot == selfSlot) {
                    selfAccused(inc);
                    return;
                }
                if (slot >= 0 && wins(inc, MemberTable.LEFT, table.incarnation(slot), table.state(slot))) {
                    byte old = table.state(slot);
                    table.setIncarnation(slot, inc);
                    table.setState(slot, MemberTable.LEFT, nowNs);
                    cancelSuspicion(slot);
                    dropHybridMonitor(slot);
                    enqueue(slot);
                    if (old != MemberTable.LEFT) {
                        effects.publish(new MembershipEvent.Left(table.id(slot), inc, at(nowNs)));
                    }
                    updateHybrid(nowNs);
                }
            }
            default -> {
                // validated by the reader: no other type reaches here
            }
        }
    }

    private Identifier accuserAt(int offset) {
        int slot = findSlot(offset);
        return slot >= 0 ? table.id(slot) : interner.intern(reader.identity(offset));
    }

    /** Whether the {@code len} metadata bytes at {@code offset} of the frame are {@code m}'s; allocates nothing. */
    private boolean sameMetadata(int offset, int len, Metadata m) {
        if (len != m.size()) {
            return false;
        }
        ByteBuffer buf = reader.buffer();
        for (int i = 0; i < len; i++) {
            if (buf.get(offset + i) != m.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    private Metadata readMetadata(int offset, int len) {
        if (len == 0) {
            return Metadata.EMPTY;
        }
        byte[] bytes = new byte[len];
        reader.buffer().get(offset, bytes);
        return Metadata.of(bytes);
    }

    /**
     * Whether an update ({@code newState} at {@code newInc}) replaces what this node holds about a member
     * ({@code oldState} at {@code oldInc}).
     *
     * <ol>
     *   <li>An accusation (SUSPECT or DEAD) of a member held DEAD or LEFT never wins, whatever its incarnation: the
     *   member is already out, and taking it would bring it back through SUSPECT, publishing {@code Suspected} and
     *   later a second {@code Failed} (or a {@code Failed} after its {@code Left}) for a member that never came
     *   back. Only an ALIVE at a higher incarnation revives it (with {@code Joined}), and LEFT still replaces DEAD.
     *   memberlist ignores these accusations too.</li>
     *   <li>Otherwise a newer incarnation wins ({@link Incarnations#newer}: higher, modulo 2^31), and at equal
     *   incarnation the stronger state, by {@link #rank}:
     *   LEFT > DEAD > SUSPECT > ALIVE > PENDING.</li>
     * </ol>
     *
     * <p>Merging stays idempotent. It stays order-independent for every set of updates in which no accusation
     * has a higher incarnation than a DEAD or LEFT of the set (there the first rule decides nothing the second
     * would not). When one does, order matters: SUSPECT@3 then DEAD@1 ends SUSPECT@3, DEAD@1 then SUSPECT@3 ends
     * DEAD@1. Such views meet again through the protocol rather than the merge: the suspicion either expires
     * (DEAD everywhere) or is refuted by an ALIVE at a higher incarnation still, which wins everywhere.
     */
    static boolean wins(int newInc, byte newState, int oldInc, byte oldState) {
        if (isOut(oldState) && (newState == MemberTable.SUSPECT || newState == MemberTable.DEAD)) {
            return false;
        }
        return Incarnations.newer(newInc, oldInc) || (newInc == oldInc && rank(newState) > rank(oldState));
    }

    private static boolean isOut(byte state) {
        return state == MemberTable.DEAD || state == MemberTable.LEFT;
    }

    /** The strength of a state at equal incarnation, for {@link #wins}: PENDING 0 to LEFT 4; -1 for no state. */
    static int rank(byte state) {
        return switch (state) {
            case MemberTable.PENDING -> 0;
            case MemberTable.ALIVE -> 1;
            case MemberTable.SUSPECT -> 2;
            case MemberTable.DEAD -> 3;
            case MemberTable.LEFT -> 4;
            default -> -1;
        };
    }

    private void becomeAlive(long nowNs, int slot, byte old) {
        table.setState(slot, MemberTable.ALIVE, nowNs);
        cancelSuspicion(slot);
        enqueue(slot);
        Identifier id = table.id(slot);
        if (old == MemberTable.SUSPECT) {
            counters.inc(Counters.FALSE_SUSPICIONS_REFUTED);
            effects.publish(new MembershipEvent.Alive(id, table.incarnation(slot), at(nowNs)));
        } else {
            schedule.insert(slot);
            effects.publish(new MembershipEvent.Joined(id, table.incarnation(slot), table.metadata(slot),
                    at(nowNs)));
        }
        ensureHybridMonitor(nowNs, slot);
        updateHybrid(nowNs);
    }

    /**
     * Someone says this node is suspect, dead or gone. At our incarnation or above (not older, modulo 2^31):
     * refute. Below it, the sender
     * missed our last refutation (its retransmissions may all have been lost): announce our current ALIVE again,
     * without raising the incarnation, so that it rides on our very next reply.
     */
    private void selfAccused(int heardInc) {
        if (leaving) {
            return;
        }
        accusedInFrame = true;
        if (!Incarnations.newer(incarnation, heardInc)) {
            refute(heardInc);
        } else if (role == Role.FULL && !broadcasts.isFresh(selfSlot)) {
            enqueue(selfSlot);
        }
    }

    /**
     * Answers the sender of the frame just handled, in one datagram of its own: our current ALIVE if the frame
     * accused us ({@code answer}), and what we hold against the sender if we hold it SUSPECT or DEAD ({@code tell}).
     *
     * <p>Why each: gossip alone may never bring our refutation to the member that accused us before its suspicion
     * times out (each update is retransmitted a bounded number of times to random members, so an accuser can be
     * missed, and would then declare a live member DEAD although it was just talking to it); and a suspicion raised
     * where the suspect could not hear it (inside a partition, whose gossip was spent on its own side) would reach
     * the suspect only by luck, and time out into a false DEAD although the suspect talks to us.
     *
     * <p><b>At most one answer per peer per gossip interval.</b> An answer is itself a frame, and it may accuse its
     * receiver: two members that suspect each other (a slow member and its monitors, say) would otherwise answer
     * every answer with two more, doubling their traffic every round trip until the heap is gone. Held answers are
     * counted ({@code accusationAnswersHeld}); what they would have said is still queued for gossip, and the next
     * frame from the peer after the interval is answered. The limit is kept by the identity the frame claims; the
     * answer goes to the datagram's source, as every reply does.
     */
    private void answerPeer(long nowNs, Identifier sender, Identifier source, int senderSlot, boolean answer,
                            boolean tell) {
        if (!answerAllowed(nowNs, sender, senderSlot)) {
            counters.inc(Counters.ACCUSATION_ANSWERS_HELD);
            return;
        }
        writer.begin(self);
        if (answer) {
            updateWriter.write(selfSlot);
            counters.inc(Counters.ACCUSATIONS_ANSWERED);
        }
        if (tell && writer.fits(updateWriter.bytes(senderSlot))) {
            updateWriter.write(senderSlot);
        }
        piggyback(answer ? selfSlot : senderSlot);
        send(source); // to the datagram's source, not the identity its frame claims: no reflection elsewhere
    }

    /**
     * Whether an answer may go to this peer now, and if so records it: one per {@code gossipInterval} per known
     * member (keyed by slot, and by the interned identity so that a reused slot starts afresh), and one per interval
     * shared by all members not in the table.
     */
    private boolean answerAllowed(long nowNs, Identifier sender, int senderSlot) {
        long interval = config.gossipIntervalNs();
        if (senderSlot < 0) {
            if (strangerAnsweredNs != Long.MIN_VALUE && nowNs - strangerAnsweredNs < interval) {
                return false;
            }
            strangerAnsweredNs = nowNs;
            return true;
        }
        if (senderSlot >= answeredTo.length) {
            int size = Math.max(senderSlot + 1, answeredTo.length * 2);
            answeredTo = Arrays.copyOf(answeredTo, size);
            answeredNs = Arrays.copyOf(answeredNs, size);
        }
        if (answeredTo[senderSlot] == sender && nowNs - answeredNs[senderSlot] < interval) {
            return false;
        }
        answeredTo[senderSlot] = sender;
        answeredNs[senderSlot] = nowNs;
        return true;
    }

    private void refute(int heardInc) {
        incarnation = Incarnations.refutation(incarnation, heardInc);
        table.setIncarnation(selfSlot, incarnation);
        counters.inc(Counters.REFUTATIONS);
        health.apply(1);
        if (role == Role.FULL) {
            enqueue(selfSlot);
        }
    }

    private void suspect(long nowNs, int slot, int inc, Identifier accuser, boolean gossiped) {
        byte old = table.state(slot);
        int oldInc = table.incarnation(slot);
        if (old == MemberTable.SUSPECT && inc == oldInc) {
            Suspicion s = suspicion(slot);
            if (s != null && s.confirm(accuser)) {
                long deadline = s.deadline();
                timers.add(Math.max(nowNs, deadline), T_SUSPICION, slot, s.token);
                if (!s.prechecked) {
                    timers.add(Math.max(nowNs, precheckAtNs(s)), T_SUSPICION, slot, s.token);
                }
                if (accuser == self) {
                    armReminder(nowNs, slot, s);
                }
                if (role == Role.FULL) {
                    // pass the new confirmation on, in the confirming member's name, so that others count it too
                    table.setAccuser(slot, accuser);
                    enqueue(slot);
                }
            }
            return;
        }
        if (!wins(inc, MemberTable.SUSPECT, oldInc, old)) {
            return;
        }
        if (role != Role.FULL && gossiped) {
            return;
        }
        table.setIncarnation(slot, inc);
        table.setState(slot, MemberTable.SUSPECT, nowNs);
        table.setAccuser(slot, accuser);
        int n = table.running();
        long min = Formulas.suspicionMinNs(config.suspicionMultiplier(), n, config.probeIntervalNs());
        long max = min * config.suspicionMaxTimeoutMultiplier();
        Suspicion s = new Suspicion(nowNs, min, max, Formulas.expectedConfirmations(config.suspicionMultiplier(), n),
                accuser);
        s.token = ++suspicionTokens;
        cancelSuspicion(slot);
        putSuspicion(slot, s);
        timers.add(s.deadline(), T_SUSPICION, slot, s.token);
        timers.add(precheckAtNs(s), T_SUSPICION, slot, s.token);
        if (accuser == self) {
            armReminder(nowNs, slot, s);
        }
        counters.inc(Counters.SUSPICIONS);
        if (role == Role.FULL) {
            enqueue(slot);
        }
        if (old != MemberTable.SUSPECT) {
            effects.publish(new MembershipEvent.Suspected(table.id(slot), inc, at(nowNs)));
        }
    }

    private void suspicionTimeout(long nowNs, int slot, long token) {
        Suspicion s = suspicion(slot);
        if (s == null || s.token != token || table.state(slot) != MemberTable.SUSPECT) {
            return;
        }
        if (s.checked && !s.resent && nowNs >= s.resendAtNs && nowNs < s.deadline()) {
            resendCheck(slot, s);
            return;
        }
        if (s.remindAtNs > 0 && nowNs >= s.remindAtNs && nowNs < s.deadline()) {
            remind(nowNs, slot, s);
            return;
        }
        if (!s.prechecked && !s.checked && nowNs >= precheckAtNs(s) && nowNs < s.deadline()) {
            precheck(nowNs, slot, s);
            return;
        }
        if (s.prechecked && !s.checked && !s.prechecksResent && nowNs >= s.precheckResendAtNs
                && nowNs < s.deadline()) {
            s.prechecksResent = true;
            if (checkOutstanding(slot, s)) {
                sendPing(pool[s.check].seq, slot, table.id(slot)); // the first went unanswered
                counters.inc(Counters.SUSPICION_CHECKS);
            }
            return;
        }
        if (nowNs < s.deadline()) {
            return; // a later timer for the same suspicion is still set
        }
        if (!s.checked && s.confirmations < s.expected && role == Role.FULL && !leaving) {
            lastCheck(nowNs, slot, s);
            return;
        }
        declareDead(nowNs, slot, table.incarnation(slot), self);
    }

    /**
     * When a suspicion is one probe interval from its deadline (or halfway there, if it is shorter), the node asks the
     * suspect once, directly: a ping carrying the suspicion, whose ack brings the refutation if the suspect is alive.
     * Every member holding the suspicion does this, accuser or not: the refutation's gossip spends its retransmissions
     * within a few gossip rounds, and a holder it missed (one lost datagram can do it) would otherwise declare a live
     * member DEAD at the deadline. If no ack has come halfway to the deadline, the ping goes once more. The deadline
     * does not move: a crashed member is declared DEAD exactly when it was before, at the price of two datagrams per
     * holder per suspicion that lasts that long.
     */
    private void precheck(long nowNs, int slot, Suspicion s) {
        s.prechecked = true;
        if (role != Role.FULL || leaving) {
            s.prechecksResent = true;
            return;
        }
        checkPing(nowNs, slot, s);
        counters.inc(Counters.SUSPICION_CHECKS);
        s.precheckResendAtNs = nowNs + (s.deadline() - nowNs) / 2;
        timers.add(s.precheckResendAtNs, T_SUSPICION, slot, s.token);
    }

    /** When {@link #precheck} asks the suspect: one probe interval before the deadline, at most half of it. */
    private long precheckAtNs(Suspicion s) {
        long deadline = s.deadline();
        long lead = Math.min(config.probeIntervalNs(), (deadline - s.startNs) / 2);
        return deadline - lead;
    }

    /**
     * A suspicion that expires with fewer confirmations than expected gets one last check before it becomes DEAD:
     * a direct ping carrying the suspicion, and one probe interval (stretched by local health) for the refutation
     * to come back, on the ack (the buddy system) or by gossip. Fewer confirmations than expected is what a
     * suspicion looks like when its suspect never heard it: raised under loss just before a partition, its gossip
     * spent on the accuser's side; or raised by a member that cannot hear, and believed by members whose links are
     * fine. The lone suspecter would otherwise declare a live member DEAD at the maximum timeout, long after the
     * trouble ended. A crashed member does not answer, and is declared DEAD one interval later; a confirmed
     * suspicion (every real crash in a cluster of more than a few members) is declared at its deadline, as before.
     * The ping is sent again halfway through the wait if no ack came, so that one lost datagram does not decide.
     */
    private void lastCheck(long nowNs, int slot, Suspicion s) {
        s.checked = true;
        long grace = health.scale(config.probeIntervalNs());
        s.graceUntilNs = nowNs + grace;
        s.resendAtNs = nowNs + grace / 2;
        try {
            checkPing(nowNs, slot, s);
            counters.inc(Counters.SUSPICION_CHECKS);
        } finally {
            // armed whatever the send does: without them the suspicion would never end (see onTimers)
            timers.add(s.resendAtNs, T_SUSPICION, slot, s.token);
            timers.add(s.graceUntilNs, T_SUSPICION, slot, s.token);
        }
    }

    /**
     * A suspicion this node raised (or confirmed) from its own failed probe is told to its suspect once more, directly,
     * halfway through the minimum timeout: a ping carrying the suspicion, whose ack brings the refutation. A
     * suspicion raised while the suspect was cut off spends its gossip where the suspect cannot hear it; without
     * this the suspect learns of it only if it happens to talk to an accuser, and under loss a confirmed suspicion
     * raised inside a short partition could time out after the heal. If that ping is not acked, a second follows at
     * three quarters of the minimum. One or two datagrams per accuser, and no change to when a suspicion of a
     * crashed member ends.
     */
    private void armReminder(long nowNs, int slot, Suspicion s) {
        if (role != Role.FULL || s.reminderArmed) {
            return;
        }
        s.reminderArmed = true;
        s.remindAtNs = s.startNs + s.minNs / 2;
        if (s.remindAtNs <= nowNs) {
            return; // confirmed by our own probe late in the suspicion: the last check covers it
        }
        timers.add(s.remindAtNs, T_SUSPICION, slot, s.token);
    }

    /** The reminder's ping; if it is the first and its ack does not come, the second follows at 3/4 of the minimum. */
    private void remind(long nowNs, int slot, Suspicion s) {
        boolean first = s.remindAtNs == s.startNs + s.minNs / 2;
        boolean acked = !first && !(checkOutstanding(slot, s));
        s.remindAtNs = 0;
        if (acked) {
            return;
        }
        checkPing(nowNs, slot, s);
        counters.inc(Counters.SUSPICION_REMINDERS);
        if (first) {
            s.remindAtNs = s.startNs + s.minNs / 4 * 3;
            timers.add(s.remindAtNs, T_SUSPICION, slot, s.token);
        }
    }

    /** Whether the suspicion's check ping is still unanswered (its pending entry not released by an ack). */
    private boolean checkOutstanding(int slot, Suspicion s) {
        return s.check >= 0 && pool[s.check].kind == P_CHECK && pool[s.check].slot == slot;
    }

    /** A ping to a suspect carrying its suspicion (the buddy system), tracked so that its ack is not "late". */
    private void checkPing(long nowNs, int slot, Suspicion s) {
        if (checkOutstanding(slot, s)) {
            releasePending(s.check);
        }
        int p = newPending(P_CHECK, table.id(slot), nowNs);
        pool[p].slot = slot;
        s.check = p;
        sendPing(pool[p].seq, slot, table.id(slot));
    }

    /** The last check's second ping, if the first was not acked. */
    private void resendCheck(int slot, Suspicion s) {
        s.resent = true;
        int p = s.check;
        if (checkOutstanding(slot, s)) {
            sendPing(pool[p].seq, slot, table.id(slot));
            counters.inc(Counters.SUSPICION_CHECKS);
        }
    }

    private void cancelSuspicion(int slot) {
        Suspicion s = removeSuspicion(slot);
        if (s != null) {
            s.token = -1;
            if (checkOutstanding(slot, s)) {
                releasePending(s.check);
            }
            s.check = -1;
        }
    }

    private void declareDead(long nowNs, int slot, int inc, Identifier accuser) {
        byte old = table.state(slot);
        table.setIncarnation(slot, inc);
        table.setState(slot, MemberTable.DEAD, nowNs);
        table.setAccuser(slot, accuser);
        cancelSuspicion(slot);
        counters.inc(Counters.DEATHS);
        if (role == Role.FULL) {
            enqueue(slot);
        }
        Monitor m = monitor(slot);
        Identifier id = table.id(slot);
        int retries = m != null ? m.failedRetries : 0;
        List<Identifier> helpers = m != null && m.failedHelpers != null ? m.failedHelpers : List.of();
        if (m != null) {
            m.failedRetries = 0;
            m.failedHelpers = null;
        }
        if (old != MemberTable.DEAD) {
            FailureMessage fm = new FailureMessage(id, State.DEAD, inc, retries, helpers,
                    optInstant(table.firstContactNs(slot)), optInstant(table.lastContactNs(slot)), at(nowNs));
            effects.publish(new MembershipEvent.Failed(id, inc, fm, at(nowNs)));
        }
        dropHybridMonitor(slot);
        updateHybrid(nowNs);
    }

    private void dropHybridMonitor(int slot) {
        if (monitor(slot) != null && !monitor(slot).pinned && role == Role.FULL) {
            dropMonitor(slot);
        }
    }

    // ----------------------------------------------------------------------------------- gossip and push-pull

    private void gossipTick(long nowNs) {
        if (broadcasts.pending() == 0) {
            gossipArmed = false; // re-armed by the next update queued: an idle node does not wake for gossip
            return;
        }
        timers.add(nowNs + config.gossipIntervalNs(), T_GOSSIP, 0, 0);
        counters.inc(Counters.GOSSIP_ROUNDS);
        int n = pickGossipTargets(nowNs, Math.min(config.gossipFanout(), picks.length));
        for (int i = 0; i < n && broadcasts.pending() > 0; i++) {
            sendGossip(table.id(picks[i]));
        }
    }

    private void sendGossip(Identifier to) {
        writer.begin(self);
        if (piggyback(-1) > 0) {
            send(to);
        }
    }

    private void pushPullTick(long nowNs) {
        timers.add(nowNs + around(pushPullInterval()), T_PUSH_PULL, 0, 0);
        if (leaving) {
            return;
        }
        int n = pickMembers(1, -1, false);
        if (n == 1) {
            sendState(table.id(picks[0]), Wire.PP_REPLY_WANTED);
        }
        // and one member held DEAD, if any: after a partition longer than the suspicion timeout both sides hold
        // the other dead, and only this exchange lets them hear it, refute, and merge again (Serf's reconnect)
        int dead = pickDead();
        if (dead >= 0) {
            sendState(table.id(dead), Wire.PP_REPLY_WANTED);
        }
    }

    /** A random member held DEAD (not LEFT), or -1; sampled, so it costs O(1) in a large healthy table. */
    private int pickDead() {
        int hw = table.highWater();
        if (table.size() - table.running() == 0) {
            return -1;
        }
        for (int attempt = 0; attempt < 32; attempt++) {
            int s = random.nextInt(hw);
            if (table.state(s) == MemberTable.DEAD) {
                return s;
            }
        }
        int found = 0;
        int chosen = -1;
        for (int s = 0; s < hw; s++) {
            if (table.state(s) == MemberTable.DEAD && random.nextInt(++found) == 0) {
                chosen = s;
            }
        }
        return chosen;
    }

    private long pushPullInterval() {
        return Formulas.pushPullIntervalNs(config.pushPullIntervalNs(), table.running());
    }

    /**
     * Sends this node's whole membership to {@code to} as a series of frames, each a push-pull header followed by
     * as many member updates as fit. Chunks are independent: each merges on its own, so a lost chunk only delays
     * what it carried to the next exchange, and no reassembly (and no stream) is needed.
     */
    private void sendState(Identifier to, int flags) {
        int exchange = ++pushPullExchange;
        int chunk = 0;
        int total = 0;
        for (int s = 0; s < table.highWater(); s++) {
            byte st = table.state(s);
            if (st != MemberTable.FREE && st != MemberTable.PENDING) {
                total++;
            }
        }
        writer.begin(self);
        writer.putPushPull(flags, exchange, chunk, total);
        for (int s = 0; s < table.highWater(); s++) {
            byte st = table.state(s);
            if (st == MemberTable.FREE || st == MemberTable.PENDING) {
                continue;
            }
            int size = updateWriter.bytes(s);
            if (!writer.fits(size)) {
                send(to);
                chunk++;
                writer.begin(self);
                writer.putPushPull(flags & ~Wire.PP_REPLY_WANTED, exchange, chunk, total);
            }
            updateWriter.write(s);
        }
        send(to);
    }

    private void sendJoin(long nowNs) {
        try {
            for (int i = 0; i < seeds.length; i++) {
                if (!seedAnswered[i]) {
                    sendState(seeds[i], Wire.PP_REPLY_WANTED | Wire.PP_JOIN);
                }
            }
        } finally {
            timers.add(nowNs + joinBackoffNs, T_JOIN_RETRY, 0, joinToken);
        }
    }

    private void joinRetry(long nowNs, long token) {
        if (!joining || token != joinToken || seedsAnswered > 0) {
            return;
        }
        joinBackoffNs = Math.min(config.joinRetryMaxNs(), joinBackoffNs * 2);
        sendJoin(nowNs);
    }

    private void seedAnswer(long nowNs, Identifier sender) {
        for (int i = 0; i < seeds.length; i++) {
            if (!seedAnswered[i] && seeds[i].equals(sender)) {
                seedAnswered[i] = true;
                seedsAnswered++;
                if (seedsAnswered == 1) {
                    timers.add(nowNs + config.probeIntervalNs(), T_JOIN_SYNC, 0, joinToken);
                }
                if (seedsAnswered == seeds.length) {
                    joining = false;
                    effects.joined(seedsAnswered);
                } else if (seedsAnswered == 1) {
                    // give the other seeds one probe timeout to answer too
                    timers.add(nowNs + config.probeTimeoutNs(), T_JOIN_DONE, 0, joinToken);
                }
                return;
            }
        }
    }

    /**
     * One protocol period after a seed answered a join, exchange state once more, with a random member. Members that
     * joined at about the same time as this one are missing from the seed's answer, and their own news may have been
     * gossiped to the members known before this one was: without this, such a pair can stay strangers until the
     * next periodic push-pull, which at 100 members comes 90 s apart on a LAN.
     */
    private void joinSync(long token) {
        if (token != joinToken || leaving || role != Role.FULL) {
            return;
        }
        if (pickMembers(1, -1, false) == 1) {
            sendState(table.id(picks[0]), Wire.PP_REPLY_WANTED);
        }
    }

    /** No seed answered within the join timeout: say so, and go on retrying, so that a late seed still answers. */
    private void joinTimeout(long token) {
        if (joining && token == joinToken && seedsAnswered == 0) {
            effects.joinTimedOut(List.of(seeds));
        }
    }

    private void joinDone(long token) {
        if (joining && token == joinToken) {
            joining = false;
            effects.joined(seedsAnswered);
        }
    }

    private void reapTick(long nowNs) {
        timers.add(nowNs + reapInterval(), T_REAP, 0, 0);
        for (int s = 0; s < table.highWater(); s++) {
            byte st = table.state(s);
            if ((st == MemberTable.DEAD || st == MemberTable.LEFT) && s != selfSlot
                    && nowNs - table.stateSinceNs(s) >= config.deadMemberRetentionNs()
                    && (monitor(s) == null || !monitor(s).pinned)) {
                forgetMember(s);
            }
        }
    }

    private long reapInterval() {
        return Math.max(config.probeIntervalNs(), config.deadMemberRetentionNs() / 8);
    }

    private void forgetMember(int slot) {
        cancelSuspicion(slot);
        dropMonitor(slot);
        broadcasts.forget(slot);
        table.remove(slot);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Appends pending updates to the frame in the writer; returns how many. */
    private int piggyback(int skipSlot) {
        if (role != Role.FULL || broadcasts.pending() == 0) {
            return 0;
        }
        int n = broadcasts.fill(updateWriter, retransmitLimit(), writer.remaining(), skipSlot);
        counters.add(Counters.UPDATES_SENT, n);
        return n;
    }

    /** Queues the member's current state for dissemination and makes sure a gossip round will send it. */
    private void enqueue(int slot) {
        broadcasts.enqueue(slot);
        if (!gossipArmed && started && !closed && role == Role.FULL) {
            gossipArmed = true;
            timers.add(clockNs + config.gossipIntervalNs(), T_GOSSIP, 0, 0);
        }
    }

    private int retransmitLimit() {
        return Formulas.retransmitLimit(config.retransmitMultiplier(), table.running());
    }

    private void send(Identifier to) {
        ByteBuffer frame = writer.finish();
        counters.inc(Counters.DATAGRAMS_OUT);
        counters.add(Counters.BYTES_OUT, frame.remaining());
        effects.send(to, frame);
    }

    /**
     * Picks up to {@code k} distinct random running members other than this node and {@code exclude}, into
     * {@link #picks}; with {@code anyLive} false only ALIVE members qualify (helpers for indirect probes).
     */
    private int pickMembers(int k, int exclude, boolean anyLive) {
        return pick(k, exclude, anyLive, Long.MIN_VALUE);
    }

    /** Gossip targets: running members, and members dead for less than gossipToTheDead (so they can refute). */
    private int pickGossipTargets(long nowNs, int k) {
        return pick(k, -1, true, nowNs);
    }

    /**
     * Up to {@code k} distinct random eligible members into {@link #picks}: by rejection sampling in a large
     * table, else (or when sampling runs out of attempts) by a scan and a partial shuffle. {@code gossipNowNs} is
     * {@link Long#MIN_VALUE} for probe helpers, else the time, and then admits members dead for less than
     * gossipToTheDead.
     */
    private int pick(int k, int exclude, boolean anyLive, long gossipNowNs) {
        int hw = table.highWater();
        if (hw > 64) {
            int got = 0;
            for (int attempt = 0; attempt < 8 * k + 16 && got < k; attempt++) {
                int s = random.nextInt(hw);
                if (!eligible(s, exclude, anyLive, gossipNowNs)) {
                    continue;
                }
                boolean dup = false;
                for (int i = 0; i < got; i++) {
                    dup |= picks[i] == s;
                }
                if (!dup) {
                    picks[got++] = s;
                }
            }
            if (got == k) {
                return got;
            }
        }
        if (scratch.length < hw) {
            scratch = new int[Integer.highestOneBit(hw) << 1];
        }
        int n = 0;
        for (int s = 0; s < hw; s++) {
            if (eligible(s, exclude, anyLive, gossipNowNs)) {
                scratch[n++] = s;
            }
        }
        return partialShuffle(n, k);
    }

    private boolean eligible(int s, int exclude, boolean anyLive, long gossipNowNs) {
        if (s == selfSlot || s == exclude) {
            return false;
        }
        byte st = table.state(s);
        return st == MemberTable.ALIVE || (anyLive && st == MemberTable.SUSPECT)
                || (gossipNowNs != Long.MIN_VALUE && st == MemberTable.DEAD
                && gossipNowNs - table.stateSinceNs(s) < config.gossipToTheDeadNs());
    }

    private int partialShuffle(int n, int k) {
        int m = Math.min(n, k);
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = scratch[i];
            scratch[i] = scratch[j];
            scratch[j] = t;
            picks[i] = scratch[i];
        }
        return m;
    }

    private boolean isRunning(int slot) {
        byte st = table.state(slot);
        return st == MemberTable.ALIVE || st == MemberTable.SUSPECT;
    }

    private int findSlot(int identityOffset) {
        if (reader.isIpv4(identityOffset)) {
            return table.findIpv4(reader.ipv4Key(identityOffset));
        }
        return table.find(reader.identity(identityOffset));
    }

    /** The slot of the member a state transfer named last, while one is being merged; -1 at its start. */
    private int transferCursor = -1;

    /**
     * Finds a member named in a state transfer. A transfer lists members in its sender's slot order, which is
     * mostly ours too (a member that joined through a seed learned the membership in the seed's order, and a
     * simulated cluster bootstraps in one order), so the slot after the previous entry's is tried first: one
     * comparison with a shared identity instead of a probe into a hash index that is cold by the time the next
     * exchange comes. When the orders differ it costs that one comparison more than {@link #findSlot}.
     */
    private int findSlotInTransfer(int identityOffset) {
        int next = transferCursor + 1;
        if (next < table.highWater()) {
            Identifier id = table.id(next);
            if (id != null && reader.identityEquals(identityOffset, id)) {
                transferCursor = next;
                return next;
            }
        }
        int slot = findSlot(identityOffset);
        transferCursor = slot;
        return slot;
    }

    /** Whether the frame being handled accused this node (SUSPECT or DEAD of itself, at any incarnation). */
    private boolean accusedInFrame;
    /** Whether this node has told the sender of the frame being handled that it holds the sender suspect or dead. */
    private boolean senderTold;
    /** The last answer to an accusing peer ({@link #answerPeer}), by slot: to whom, and when. */
    private Identifier[] answeredTo = new Identifier[16];
    private long[] answeredNs = new long[16];
    /** The last answer to a member not in the table. */
    private long strangerAnsweredNs = Long.MIN_VALUE;

    private boolean isAccused(int slot) {
        byte st = table.state(slot);
        return st == MemberTable.SUSPECT || st == MemberTable.DEAD;
    }

    private long lastSenderKey = -1;
    private Identifier lastSender;

    private Identifier senderIdentity(int offset) {
        if (reader.isIpv4(offset)) {
            long key = reader.ipv4Key(offset);
            if (key == lastSenderKey) {
                return lastSender;
            }
            lastSenderKey = key;
            lastSender = interner.intern(reader.identity(offset));
            return lastSender;
        }
        return interner.intern(reader.identity(offset));
    }

    /** A first deadline uniform in (0, period]: staggers nodes that start together. */
    private long jitter(long periodNs) {
        return 1 + (long) (random.nextDouble() * periodNs);
    }

    /**
     * A repeating deadline of {@code periodNs} on average, uniform in [0.9, 1.1] of it: nodes drift apart rather than
     * exchange in lock step, while the mean rate is the configured one (a deadline uniform in (0, period] would
     * repeat twice as often as configured).
     */
    private long around(long periodNs) {
        return periodNs - periodNs / 10 + (long) (random.nextDouble() * (periodNs / 5.0));
    }

    private int newPending(int kind, Identifier target, long nowNs) {
        int index;
        if (freePendingCount > 0) {
            index = freePending[--freePendingCount];
        } else {
            if (poolSize == pool.length) {
                pool = Arrays.copyOf(pool, poolSize * 2);
            }
            index = poolSize++;
            pool[index] = new Pending();
        }
        Pending p = pool[index];
        int seq;
        do {
            seq = ++nextSeq;
        } while (pendingBySeq.get(seq & 0xffffffffL) >= 0);
        p.reset(kind, seq, target, nowNs);
        pendingBySeq.put(seq & 0xffffffffL, index);
        return index;
    }

    private void releasePending(int index) {
        if (index < 0) {
            return;
        }
        Pending p = pool[index];
        if (p.kind == 0) {
            return;
        }
        pendingBySeq.remove(p.seq & 0xffffffffL);
        p.kind = 0;
        p.target = null;
        p.requester = null;
        if (freePendingCount == freePending.length) {
            freePending = Arrays.copyOf(freePending, freePendingCount * 2);
        }
        freePending[freePendingCount++] = index;
    }

    private Suspicion suspicion(int slot) {
        int i = suspicionIndex.get(slot);
        return i < 0 ? null : suspicionPool[i];
    }

    private void putSuspicion(int slot, Suspicion s) {
        int i;
        if (freeSuspicionCount > 0) {
            i = freeSuspicions[--freeSuspicionCount];
        } else {
            if (suspicionPoolSize == suspicionPool.length) {
                suspicionPool = Arrays.copyOf(suspicionPool, suspicionPoolSize * 2);
            }
            i = suspicionPoolSize++;
        }
        suspicionPool[i] = s;
        suspicionIndex.put(slot, i);
    }

    private Suspicion removeSuspicion(int slot) {
        int i = suspicionIndex.remove(slot);
        if (i < 0) {
            return null;
        }
        Suspicion s = suspicionPool[i];
        suspicionPool[i] = null;
        if (freeSuspicionCount == freeSuspicions.length) {
            freeSuspicions = Arrays.copyOf(freeSuspicions, freeSuspicionCount * 2);
        }
        freeSuspicions[freeSuspicionCount++] = i;
        return s;
    }

    private Monitor monitor(int slot) {
        return slot < monitors.length ? monitors[slot] : null;
    }

    private void putMonitor(int slot, Monitor m) {
        if (slot >= monitors.length) {
            if (m == null) {
                return;
            }
            monitors = Arrays.copyOf(monitors, Math.max(slot + 1, monitors.length * 2));
        }
        monitors[slot] = m;
    }

    private Instant at(long nowNs) {
        return epoch.plusNanos(nowNs);
    }

    private Optional<Instant> optInstant(long ns) {
        return ns < 0 ? Optional.empty() : Optional.of(at(ns));
    }

    private Status statusOf(int slot) {
        Monitor m = monitor(slot);
        int rttUs = table.rttUs(slot);
        Optional<Duration> rtt = rttUs > 0 ? Optional.of(Duration.ofNanos(rttUs * 1000L)) : Optional.empty();
        Optional<Duration> p99 = m != null && m.histogram != null && m.histogram.getTotalCount() > 0
                ? Optional.of(Duration.ofNanos(m.histogram.getValueAtPercentile(99.0) * 1000)) : Optional.empty();
        return new Status(table.id(slot), MemberTable.toState(table.state(slot)), table.incarnation(slot), rtt, p99,
                optInstant(table.lastContactNs(slot)), optInstant(table.firstContactNs(slot)),
                slot == selfSlot ? metadata : table.metadata(slot));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("node " + self + " is closed");
        }
    }

    private void requireRole(Role least, String what) {
        boolean ok = switch (least) {
            case PULSER -> true;
            case COORDINATOR -> role != Role.PULSER;
            case FULL -> role == Role.FULL;
        };
        if (!ok) {
            throw new IllegalStateException(what + " needs a " + least + " node; this node is a " + role);
        }
    }

    private final class UpdateWriterImpl implements BroadcastQueue.UpdateWriter {
        @Override
        public int bytes(int slot) {
            Identifier id = table.id(slot);
            return switch (table.state(slot)) {
                case MemberTable.ALIVE -> FrameWriter.aliveBytes(id,
                        (slot == selfSlot ? metadata : table.metadata(slot)).size());
                case MemberTable.SUSPECT, MemberTable.DEAD -> FrameWriter.accusationBytes(id, accuserOf(slot));
                case MemberTable.LEFT -> FrameWriter.leftBytes(id);
                default -> Integer.MAX_VALUE;
            };
        }

        @Override
        public void write(int slot) {
            Identifier id = table.id(slot);
            int inc = table.incarnation(slot);
            switch (table.state(slot)) {
                case MemberTable.ALIVE -> writer.putAlive(inc, id, slot == selfSlot ? metadata : table.metadata(slot));
                case MemberTable.SUSPECT -> writer.putSuspect(inc, id, accuserOf(slot));
                case MemberTable.DEAD -> writer.putDead(inc, id, accuserOf(slot));
                case MemberTable.LEFT -> writer.putLeft(inc, id);
                default -> throw new IllegalStateException("no update for state " + table.state(slot));
            }
        }

        private Identifier accuserOf(int slot) {
            Identifier a = table.accuser(slot);
            return a != null ? a : self;
        }
    }

    /** One outstanding ping: a probe, a relay for another member, or a monitor's pulse. Pooled. */
    private static final class Pending {
        int kind;
        int seq;
        int slot = -1;
        Identifier target;
        long sentNs;
        boolean acked;
        int nacks;
        int expectedNacks;
        Identifier requester;
        int requesterSeq;

        void reset(int newKind, int newSeq, Identifier newTarget, long nowNs) {
            kind = newKind;
            seq = newSeq;
            target = newTarget;
            sentNs = nowNs;
            slot = -1;
            acked = false;
            nacks = 0;
            expectedNacks = 0;
            requester = null;
            requesterSeq = 0;
        }
    }

    /** A directly monitored member: the Go package's pulse loop, as data. */
    private static final class Monitor {
        static final int IDLE = 0;
        static final int AWAIT = 1;
        static final int INDIRECT = 2;

        final int slot;
        final Identifier id;
        boolean pinned;
        int maxRetry;
        long delayNs;
        int phase;
        int attempt;
        int pending = -1;
        long token;
        long cycleStartNs;
        Identifier[] helpers;
        int failedRetries;
        List<Identifier> failedHelpers;
        AbstractHistogram histogram;

        Monitor(int slot, Identifier id) {
            this.slot = slot;
            this.id = id;
        }
    }

    /**
     * One suspect's deadline and its confirmations (Lifeguard): the deadline starts at the maximum and moves
     * toward the minimum as independent members confirm.
     */
    private static final class Suspicion {
        long token;
        final long startNs;
        final long minNs;
        final long maxNs;
        final int expected;
        final Identifier first;
        final Identifier[] confirmers;
        int confirmations;
        /** Whether the last check was sent ({@link #lastCheck}); then the deadline is at least its grace's end. */
        boolean checked;
        boolean prechecked;
        boolean prechecksResent;
        long precheckResendAtNs;
        boolean resent;
        boolean reminderArmed;
        long remindAtNs;
        long graceUntilNs;
        long resendAtNs;
        int check = -1;

        Suspicion(long startNs, long minNs, long maxNs, int expected, Identifier first) {
            this.startNs = startNs;
            this.minNs = minNs;
            this.maxNs = maxNs;
            this.expected = expected;
            this.first = first;
            this.confirmers = new Identifier[Math.max(0, expected)];
        }

        /** Counts an independent confirmation; false if it was not new (or no more are needed). */
        boolean confirm(Identifier accuser) {
            if (confirmations >= expected || accuser.equals(first)) {
                return false;
            }
            for (int i = 0; i < confirmations; i++) {
                if (confirmers[i].equals(accuser)) {
                    return false;
                }
            }
            confirmers[confirmations++] = accuser;
            return true;
        }

        long deadline() {
            long d = startNs + Formulas.suspicionTimeoutNs(minNs, maxNs, confirmations, expected);
            return checked ? Math.max(d, graceUntilNs) : d;
        }
    }
}
