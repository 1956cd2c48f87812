package io.pulse.transport.sim;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.Metadata;
import io.pulse.api.PulseConfig;
import io.pulse.engine.Effects;
import io.pulse.engine.Interner;
import io.pulse.engine.ProtocolNode;
import io.pulse.engine.Role;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * A deterministic simulation of a pulse cluster: n {@link ProtocolNode}s, one virtual clock, one queue of timed
 * events, and a seeded network that delays and loses packets. The same engine that runs on real sockets runs
 * here, driven by this class instead of the real runtime.
 *
 * <p><b>Determinism.</b> Everything random (each node's generator, the network's choices) derives from the one
 * seed given to {@link Builder#seed(long)}; events at equal virtual times run in the order they were scheduled; no
 * hash-map iteration order, identity hash or wall-clock reading reaches the run. {@link #digest()} folds every
 * delivered datagram and fired timer into one number: the same configuration and seed give the same digest.
 *
 * <p>Not thread-safe: a simulation runs on the thread that calls {@link #runFor(Duration)}.
 */
public final class Simulation {

    /** Receives every membership event any node publishes, with the index of the node that published it. */
    @FunctionalInterface
    public interface EventListener {
        void onEvent(int node, long atNs, MembershipEvent event);
    }

    /** Told of every datagram a node handles: the referee's record of who could hear whom. */
    @FunctionalInterface
    public interface DeliveryListener {
        /**
         * Node {@code to} handed, at {@code atNs}, a datagram that node {@code from} sent to its engine: the moment it
         * heard it (a paused or slow node hears late, when it gets round to it).
         */
        void onHandled(int from, int to, long atNs);
    }

    private static final int PORT = 7946;
    private static final int E_DELIVER = 1;
    private static final int E_WAKE = 2;
    private static final int E_ACTION = 3;
    private static final int E_INPUT = 4; // a datagram a slow node has got round to handling

    /** Virtual time 0 as a wall-clock instant, for the instants in events and statuses: 2026-01-01T00:00:00Z. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final PulseConfig config;
    private Network network;
    private final long seed;
    private final long slowUnitNs;
    private final SplittableRandom netRandom;
    private final SplittableRandom nodeSeeds;
    private final EventQueue queue = new EventQueue();
    private final Identifier[] ids;
    private final Map<Identifier, Integer> indexOf = new HashMap<>();
    private final ProtocolNode[] nodes;
    private final Role[] roles;
    private final boolean[] crashed;
    private final long[] pausedUntil;
    private final long[] scheduledWake;
    private final long[] sentDatagrams;
    private final long[] sentBytes;
    private final int[] group;
    private final double[] slowFactor;
    private final long[] slowReady;
    private final boolean[] left;
    private final Map<Long, Integer> blockedLinks = new HashMap<>();
    private long partitionToken;
    private final Interner interner;
    private final List<EventListener> listeners = new ArrayList<>();
    private final List<DeliveryListener> deliveryListeners = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private boolean partitioned;
    private long now;
    private long digest = TraceDigest.EMPTY;
    private long events;
    private long delivered;
    private long lost;
    private long duplicated;
    private long wakes;
    private long staleWakes;
    private long reordered;
    private long injected;
    /** The outside addresses that {@link #inject} has sent from, in order of first use. */
    private final List<Identifier> outsiders = new ArrayList<>();
    private long outsideDatagrams;
    private long outsideBytes;
    private final int[] generation;
    /**
     * Spent datagram buffers of {@link #bufferBytes}, reused so that a datagram in flight allocates nothing. A
     * datagram in flight is its source's node index ({@link #SOURCE_BYTES}, at 0) then the frame, from position
     * {@link #SOURCE_BYTES} to the limit.
     */
    private ByteBuffer[] spare = new ByteBuffer[256];
    private int spareCount;
    private final int bufferBytes;
    private static final int SOURCE_BYTES = 4;

    private Simulation(Builder b) {
        this.config = b.config;
        this.network = b.network;
        this.seed = b.seed;
        this.slowUnitNs = b.slowUnitNs;
        SplittableRandom master = new SplittableRandom(b.seed);
        this.netRandom = master.split();
        this.nodeSeeds = master.split();
        int n = b.nodes;
        ids = new Identifier[n];
        nodes = new ProtocolNode[n];
        roles = new Role[n];
        crashed = new boolean[n];
        pausedUntil = new long[n];
        scheduledWake = new long[n];
        sentDatagrams = new long[n];
        sentBytes = new long[n];
        group = new int[n];
        slowFactor = new double[n];
        java.util.Arrays.fill(slowFactor, 1.0);
        slowReady = new long[n];
        left = new boolean[n];
        generation = new int[n];
        bufferBytes = SOURCE_BYTES + b.config.maxDatagramBytes();
        HashMap<Identifier, Identifier> pool = new HashMap<>();
        this.interner = id -> {
            // a node's address decodes to its index (see addressOf): no hashing for the common case
            int known = indexOfNode(id);
            if (known >= 0) {
                return ids[known];
            }
            Identifier shared = pool.putIfAbsent(id, id);
            return shared == null ? id : shared;
        };
        for (int i = 0; i < n; i++) {
            ids[i] = interner.intern(addressOf(i));
            indexOf.put(ids[i], i);
            roles[i] = b.roles.getOrDefault(i, b.role);
            scheduledWake[i] = Long.MAX_VALUE;
            nodes[i] = newNode(i);
        }
    }

    /** A builder with 3 nodes, the LAN preset, seed 1 and a 1 ms LAN network without loss. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address of node {@code i}: 10.x.y.z:7946, distinct for every index below 2^24. */
    public static Identifier addressOf(int i) {
        return Identifier.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, PORT);
    }

    private ProtocolNode newNode(int i) {
        generation[i]++;
        int gen = generation[i];
        Effects effects = new Effects() {
            @Override
            public void send(Identifier to, ByteBuffer frame) {
                transmit(i, gen, to, frame);
            }

            @Override
            public void publish(MembershipEvent event) {
                for (EventListener l : listeners) {
                    l.onEvent(i, now, event);
                }
            }
        };
        return new ProtocolNode(ids[i], config, roles[i], new SplittableRandom(nodeSeeds.nextLong()), effects,
                EPOCH, config.maxDatagramBytes(), interner);
    }

    // ------------------------------------------------------------------------------------------------ set-up

    /** Adds a listener for every membership event. */
    public Simulation listen(EventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Adds a listener for every datagram a node handles. */
    public Simulation listenDeliveries(DeliveryListener listener) {
        deliveryListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Starts every node with full membership already known, as if they had all joined long ago (full nodes are
     * bootstrapped with every address; no join traffic). Use {@link #joinAll(int)} to simulate the joins.
     */
    public Simulation startAll() {
        List<Identifier> all = List.of(ids);
        for (int i = 0; i < nodes.length; i++) {
            int node = i;
            act(0, node, () -> {
                if (roles[node] == Role.FULL) {
                    nodes[node].bootstrap(now, all);
                }
                nodes[node].start(now);
            });
        }
        return this;
    }

    /** Starts every node and has each join through {@code seeds} seeds (nodes 0..seeds-1), at staggered times. */
    public Simulation joinAll(int seedCount) {
        List<Identifier> seedIds = new ArrayList<>();
        for (int s = 0; s < Math.max(1, seedCount); s++) {
            seedIds.add(ids[s]);
        }
        for (int i = 0; i < nodes.length; i++) {
            int node = i;
            long at = netRandom.nextLong(Math.max(1, config.probeIntervalNs()));
            act(at, node, () -> {
                nodes[node].start(now);
                nodes[node].join(now, seedIds);
            });
        }
        return this;
    }

    /** Runs {@code action} on the simulation's thread at virtual time {@code atNs}. */
    public void at(long atNs, Runnable action) {
        queue.add(Math.max(atNs, now), E_ACTION, -1, 0, action);
    }

    private void act(long atNs, int node, Runnable action) {
        queue.add(Math.max(atNs, now), E_ACTION, node, 0, action);
    }

    // -------------------------------------------------------------------------------------------------- faults

    /** Crashes node {@code i} at {@code atNs}: silently, with no leave; it neither sends nor receives again. */
    public void crash(int i, long atNs) {
        at(atNs, () -> {
            crashed[i] = true;
            nodes[i].close();
        });
    }

    /**
     * Restarts crashed node {@code i} at {@code atNs}: same address, fresh state, and a join through
     * {@code seedNode}.
     */
    public void restart(int i, long atNs, int seedNode) {
        restartNode(i, atNs, seedNode, null);
    }

    /**
     * Restarts crashed node {@code i} at {@code atNs} as {@link #restart(int, long, int)} does, but publishing
     * {@code metadata} before it joins, as the agent does with its {@code --metadata}: the fresh process is at
     * incarnation 1, which its peers may already hold for the process before it, with other metadata.
     */
    public void restart(int i, long atNs, int seedNode, Metadata metadata) {
        restartNode(i, atNs, seedNode, Objects.requireNonNull(metadata, "metadata"));
    }

    private void restartNode(int i, long atNs, int seedNode, Metadata metadataOrNull) {
        at(atNs, () -> {
            crashed[i] = false;
            left[i] = false;
            nodes[i] = newNode(i);
            scheduledWake[i] = Long.MAX_VALUE;
            nodes[i].start(now);
            if (metadataOrNull != null) {
                nodes[i].updateMetadata(now, metadataOrNull);
            }
            nodes[i].join(now, List.of(ids[seedNode]));
            rewake(i);
        });
    }

    /**
     * Pauses node {@code i} from {@code atNs} for {@code forNs} (a stop-the-world pause): it neither sends nor
     * receives meanwhile; datagrams that arrive wait for it, and its timers fire late, when it resumes.
     */
    public void pause(int i, long atNs, long forNs) {
        at(atNs, () -> pausedUntil[i] = Math.max(pausedUntil[i], now + forNs));
        at(atNs + forNs, () -> rewake(i));
    }

    /** Has node {@code i} leave gracefully at {@code atNs} (it keeps running, so that its leave is gossiped). */
    public void leave(int i, long atNs) {
        act(atNs, i, () -> {
            left[i] = true;
            nodes[i].leave(now);
        });
    }

    /**
     * Splits the nodes into groups from {@code atNs} for {@code forNs}: datagrams between nodes of different
     * groups are lost. {@code groups[i]} is node i's group number. A later partition replaces an earlier one; the
     * heal at the end of a partition that was replaced does nothing.
     *
     * @param forNs how long the partition lasts, in nanoseconds; {@link Long#MAX_VALUE} for ever
     */
    public void partition(int[] groups, long atNs, long forNs) {
        if (groups.length != nodes.length) {
            throw new IllegalArgumentException("groups must name a group for each of the " + nodes.length
                    + " nodes, had " + groups.length);
        }
        int[] copy = groups.clone();
        long[] token = new long[1];
        at(atNs, () -> {
            System.arraycopy(copy, 0, group, 0, group.length);
            partitioned = true;
            token[0] = ++partitionToken;
        });
        if (forNs != Long.MAX_VALUE) {
            at(atNs + forNs, () -> {
                if (token[0] == partitionToken) {
                    partitioned = false;
                }
            });
        }
    }

    /**
     * Blocks the directed link {@code from -> to} from {@code atNs} for {@code forNs}: datagrams from {@code from}
     * to {@code to} are lost, while the other direction still works (an asymmetric partition). Blocks of one link
     * stack: it reopens when every block on it has ended.
     *
     * @param forNs how long the block lasts, in nanoseconds; {@link Long#MAX_VALUE} for ever
     */
    public void block(int from, int to, long atNs, long forNs) {
        checkNode(from);
        checkNode(to);
        long key = ((long) from << 32) | to;
        at(atNs, () -> blockedLinks.merge(key, 1, Integer::sum));
        if (forNs != Long.MAX_VALUE) {
            at(atNs + forNs, () -> blockedLinks.computeIfPresent(key, (k, c) -> c == 1 ? null : c - 1));
        }
    }

    /**
     * Makes node {@code i} slow by {@code factor} from {@code atNs} for {@code forNs} (a starved CPU): every datagram
     * it receives is handled (factor − 1) × the slow unit late (see {@link Builder#slowUnit(Duration)}), in the
     * order they came, and its timers fire one slow unit late. So its acks leave late, and the acks it awaits are
     * still queued when its probe timeouts fire: it suspects healthy members, the scenario Lifeguard's local health
     * answers. (Were its timers as late as its datagrams, it would see a consistent, merely shifted world and
     * accuse nobody.)
     *
     * @param factor at least 1; 1 is normal speed
     * @param forNs  how long it stays slow, in nanoseconds; {@link Long#MAX_VALUE} for ever
     */
    public void slow(int i, double factor, long atNs, long forNs) {
        checkNode(i);
        if (!(factor >= 1 && factor <= 1_000)) {
            throw new IllegalArgumentException("slow factor must be in [1, 1000], was " + factor);
        }
        at(atNs, () -> slowFactor[i] = factor);
        if (forNs != Long.MAX_VALUE) {
            at(atNs + forNs, () -> slowFactor[i] = 1.0);
        }
    }

    /** Replaces the network's behaviour from {@code atNs} on; datagrams already in flight keep their fate. */
    public void network(long atNs, Network newNetwork) {
        Objects.requireNonNull(newNetwork, "network");
        at(atNs, () -> this.network = newNetwork);
    }

    /** Changes the network's behaviour at {@code atNs}, starting from what it is then. */
    public void changeNetwork(long atNs, java.util.function.UnaryOperator<Network> change) {
        Objects.requireNonNull(change, "change");
        at(atNs, () -> this.network = Objects.requireNonNull(change.apply(network), "network"));
    }

    /**
     * Sends {@code datagram} to node {@code to} at {@code atNs} from {@code from}, an address outside the cluster
     * (a hostile member, a fuzzer): the hook through which a test plays a peer that is not a pulse node. The datagram
     * goes through the network model like any node's (it may be lost, delayed, held back or duplicated); partitions
     * and blocked links, which are between nodes, do not apply to it. Its bytes are copied now, so the caller may
     * reuse its buffer.
     *
     * @param from     the sending address; it must not be a node's
     * @param datagram the bytes between its position and limit, sent as they are (well-formed or not)
     */
    public void inject(long atNs, Identifier from, int to, ByteBuffer datagram) {
        Objects.requireNonNull(from, "from");
        checkNode(to);
        if (indexOf(from) >= 0) {
            throw new IllegalArgumentException("inject: " + from + " is node " + indexOf(from)
                    + "'s address; an injected datagram comes from outside the cluster");
        }
        int max = bufferBytes - SOURCE_BYTES;
        if (datagram.remaining() > max) {
            throw new IllegalArgumentException("inject: a datagram is at most the configured " + max
                    + " bytes, was " + datagram.remaining());
        }
        ByteBuffer copy = ByteBuffer.allocate(datagram.remaining());
        copy.put(datagram.duplicate()).flip();
        int source = outsider(from);
        at(atNs, () -> {
            injected++;
            Network net = network;
            if (net.loss() > 0 && netRandom.nextDouble() < net.loss()) {
                lost++;
                return;
            }
            queue.add(now + delayNs(net), E_DELIVER, to, deliveryArg(0, generation[to]), copyOf(source, copy));
            if (net.duplicate() > 0 && netRandom.nextDouble() < net.duplicate()) {
                duplicated++;
                queue.add(now + delayNs(net), E_DELIVER, to, deliveryArg(0, generation[to]), copyOf(source, copy));
            }
        });
    }

    /** The source index of outside address {@code from}: -1 - its index in {@link #outsiders}, added if new. */
    private int outsider(Identifier from) {
        int k = outsiders.indexOf(from);
        if (k < 0) {
            k = outsiders.size();
            outsiders.add(from);
        }
        return -1 - k;
    }

    private void checkNode(int i) {
        if (i < 0 || i >= nodes.length) {
            throw new IllegalArgumentException("node must be in [0, " + (nodes.length - 1) + "], was " + i);
        }
    }

    /** The extra delay a slow node adds to each input, in nanoseconds; 0 at normal speed. */
    private long slowDelayNs(int i) {
        double f = slowFactor[i];
        return f == 1.0 ? 0 : (long) ((f - 1.0) * slowUnitNs);
    }

    // ------------------------------------------------------------------------------------------------- running

    /** Runs until virtual time has advanced by {@code d}. */
    public void runFor(Duration d) {
        runUntil(now + d.toNanos());
    }

    /** Runs every event up to and including virtual time {@code endNs}. */
    public void runUntil(long endNs) {
        while (!queue.isEmpty() && queue.peekTime() <= endNs) {
            queue.pop();
            now = queue.topTime;
            events++;
            int i = queue.topNode;
            switch (queue.topKind) {
                case E_DELIVER -> deliver(i, queue.topArg, (ByteBuffer) queue.topPayload, false);
                case E_INPUT -> deliver(i, queue.topArg, (ByteBuffer) queue.topPayload, true);
                case E_WAKE -> wake(i, queue.topArg);
                case E_ACTION -> {
                    ((Runnable) queue.topPayload).run();
                    if (i >= 0) {
                        rewake(i);
                    }
                }
                default -> throw new IllegalStateException("unknown event kind " + queue.topKind);
            }
        }
        now = Math.max(now, endNs);
    }

    /**
     * A delivery's event argument: the sender's index (below 2^20, the largest cluster) and the receiver's generation
     * modulo 4,096 (a datagram in flight across 4,096 restarts of its receiver would be handed to the wrong one).
     */
    private static int deliveryArg(int from, int receiverGeneration) {
        return (receiverGeneration & 0xFFF) << 20 | from;
    }

    private void deliver(int to, int arg, ByteBuffer datagram, boolean slowed) {
        if (crashed[to] || arg >>> 20 != (generation[to] & 0xFFF)) {
            recycle(datagram);
            return;
        }
        if (pausedUntil[to] > now) {
            queue.add(pausedUntil[to], E_DELIVER, to, arg, datagram);
            return;
        }
        if (!slowed && slowFactor[to] != 1.0) {
            // a starved node gets round to its inputs late, in the order they came
            long ready = Math.max(now + slowDelayNs(to), slowReady[to]);
            slowReady[to] = ready;
            queue.add(ready, E_INPUT, to, arg, datagram);
            return;
        }
        delivered++;
        int length = datagram.remaining();
        crc.reset();
        crc.update(datagram.array(), SOURCE_BYTES, length);
        mix(now);
        mix(((long) to << 32) | length);
        mix(crc.getValue());
        int src = datagram.getInt(0);
        Identifier source = src >= 0 ? ids[src] : outsiders.get(-1 - src);
        if (src >= 0) {
            for (int k = 0; k < deliveryListeners.size(); k++) {
                deliveryListeners.get(k).onHandled(src, to, now);
            }
        }
        try {
            // reads it during the call only, and leaves position and limit; answers go to the source
            nodes[to].onDatagram(now, source, datagram);
        } catch (RuntimeException | StackOverflowError e) {
            // the engine must drop and count bad input, never throw: surface it with what replays it
            throw new IllegalStateException("node " + to + " threw handling a datagram from " + source + " at " + now
                    + " ns (" + length + " bytes: " + hex(datagram, length) + ")", e);
        }
        recycle(datagram);
        rewake(to);
    }

    /** The {@code length} bytes of {@code b} from its position, in hexadecimal. */
    private static String hex(ByteBuffer b, int length) {
        StringBuilder sb = new StringBuilder(2 * length);
        for (int i = b.position(); i < b.position() + length; i++) {
            sb.append(Character.forDigit((b.get(i) >>> 4) & 0xf, 16)).append(Character.forDigit(b.get(i) & 0xf, 16));
        }
        return sb.toString();
    }

    /**
     * A buffer holding node {@code from}'s index (an outside sender's is -1 - its index in {@link #outsiders}), then
     * a copy of {@code frame}'s remaining bytes, positioned at the copy.
     */
    private ByteBuffer copyOf(int from, ByteBuffer frame) {
        int n = frame.remaining();
        ByteBuffer b;
        if (spareCount > 0 && SOURCE_BYTES + n <= bufferBytes) {
            b = spare[--spareCount];
            spare[spareCount] = null;
        } else {
            b = ByteBuffer.allocate(Math.max(SOURCE_BYTES + n, bufferBytes));
        }
        frame.get(frame.position(), b.array(), SOURCE_BYTES, n);
        b.clear().putInt(0, from);
        return b.limit(SOURCE_BYTES + n).position(SOURCE_BYTES);
    }

    private void recycle(ByteBuffer datagram) {
        if (datagram.capacity() != bufferBytes) {
            return; // an outsized one-off
        }
        if (spareCount == spare.length) {
            spare = java.util.Arrays.copyOf(spare, spareCount * 2);
        }
        spare[spareCount++] = datagram;
    }

    private void wake(int i, int gen) {
        if (crashed[i] || gen != generation[i]) {
            return;
        }
        if (pausedUntil[i] > now) {
            return; // rewoken when the pause ends
        }
        if (scheduledWake[i] != now) {
            staleWakes++;
            return; // stale
        }
        wakes++;
        scheduledWake[i] = Long.MAX_VALUE;
        mix(now ^ ((long) i << 40));
        nodes[i].onTimers(now);
        rewake(i);
    }

    private void rewake(int i) {
        if (crashed[i]) {
            return;
        }
        long next = nodes[i].nextDeadlineNs();
        if (next != Long.MAX_VALUE && slowFactor[i] != 1.0) {
            next += slowUnitNs; // a starved thread wakes on its timers a little late, long before its backlog clears
        }
        if (pausedUntil[i] > now) {
            next = Math.max(next, pausedUntil[i]);
        }
        if (next < scheduledWake[i] || scheduledWake[i] < now) {
            scheduledWake[i] = Math.max(next, now);
            if (next != Long.MAX_VALUE) {
                queue.add(scheduledWake[i], E_WAKE, i, generation[i], null);
            }
        }
    }

    private void transmit(int from, int gen, Identifier to, ByteBuffer frame) {
        if (crashed[from] || gen != generation[from] || pausedUntil[from] > now) {
            return;
        }
        int n = frame.remaining();
        sentDatagrams[from]++;
        sentBytes[from] += n;
        int t = indexOf(to);
        if (t < 0) {
            lost++;
            outsideDatagrams++;
            outsideBytes += n;
            return;
        }
        if (partitioned && group[from] != group[t]) {
            lost++;
            return;
        }
        if (!blockedLinks.isEmpty() && blockedLinks.containsKey(((long) from << 32) | t)) {
            lost++;
            return;
        }
        Network net = network;
        if (net.loss() > 0 && netRandom.nextDouble() < net.loss()) {
            lost++;
            return;
        }
        queue.add(now + delayNs(net), E_DELIVER, t, deliveryArg(from, generation[t]), copyOf(from, frame));
        if (net.duplicate() > 0 && netRandom.nextDouble() < net.duplicate()) {
            duplicated++;
            queue.add(now + delayNs(net), E_DELIVER, t, deliveryArg(from, generation[t]), copyOf(from, frame));
        }
    }

    private long delayNs(Network net) {
        long d = net.latency().sampleNs(netRandom);
        long held = net.holdBackNs(netRandom);
        if (held > 0) {
            reordered++;
        }
        return d + held;
    }

    private void mix(long v) {
        digest = TraceDigest.mix(digest, v);
    }

    // ------------------------------------------------------------------------------------------------- queries

    /** The current virtual time, in nanoseconds since the start. */
    public long nowNs() {
        return now;
    }

    /** The number of nodes. */
    public int size() {
        return nodes.length;
    }

    /** Node {@code i}'s protocol state machine (for inspection; do not drive it directly). */
    public ProtocolNode node(int i) {
        return nodes[i];
    }

    /** Node {@code i}'s address. */
    public Identifier id(int i) {
        return ids[i];
    }

    /** The index of the node at {@code id}, or -1. */
    public int indexOf(Identifier id) {
        int i = indexOfNode(id);
        if (i >= 0) {
            return i;
        }
        Integer boxed = indexOf.get(id);
        return boxed == null ? -1 : boxed;
    }

    /** The index of the node at {@code id} when it is one of the addresses {@link #addressOf} gives, or -1. */
    private int indexOfNode(Identifier id) {
        // addresses are 10.x.y.z:7946 with x.y.z the index: decode, then confirm (ids[i] is null while building)
        if (id.port() == PORT && id.addressLength() == 4 && id.addressByte(0) == 10) {
            int i = ((id.addressByte(1) & 0xff) << 16) | ((id.addressByte(2) & 0xff) << 8)
                    | (id.addressByte(3) & 0xff);
            if (i < ids.length && ids[i] != null && (ids[i] == id || ids[i].equals(id))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether node {@code i} has crashed (and not restarted). */
    public boolean isCrashed(int i) {
        return crashed[i];
    }

    /** Datagrams node {@code i} sent (handed to the network, lost or not). */
    public long sentDatagrams(int i) {
        return sentDatagrams[i];
    }

    /** Bytes node {@code i} sent. */
    public long sentBytes(int i) {
        return sentBytes[i];
    }

    /** Events processed so far. */
    public long events() {
        return events;
    }

    /** Datagrams delivered so far. */
    public long delivered() {
        return delivered;
    }

    /** Timer wake-ups that fired a node's timers so far. */
    public long wakes() {
        return wakes;
    }

    /** Wake-up events that found their node's deadline had moved (superseded, so skipped) so far. */
    public long staleWakes() {
        return staleWakes;
    }

    /** Datagrams the network delivered twice so far. */
    public long duplicated() {
        return duplicated;
    }

    /** Datagrams the network held back so that later ones could overtake them. */
    public long reordered() {
        return reordered;
    }

    /** Whether node {@code i} is paused now. */
    public boolean isPaused(int i) {
        return pausedUntil[i] > now;
    }

    /** Node {@code i}'s slow factor now (1 at normal speed). */
    public double slowFactor(int i) {
        return slowFactor[i];
    }

    /** Whether node {@code i} has left gracefully (and not restarted since). */
    public boolean hasLeft(int i) {
        return left[i];
    }

    /** Whether a datagram from {@code from} to {@code to} would be cut by a partition or a blocked link now. */
    public boolean isCut(int from, int to) {
        return (partitioned && group[from] != group[to])
                || (!blockedLinks.isEmpty() && blockedLinks.containsKey(((long) from << 32) | to));
    }

    /** The network's behaviour now. */
    public Network network() {
        return network;
    }

    /** Datagrams {@link #inject injected} from outside the cluster so far (handed to the network, lost or not). */
    public long injected() {
        return injected;
    }

    /**
     * Datagrams nodes sent to addresses that are not nodes (invented members, an outside sender) so far; they are
     * counted in {@link #lost()} too.
     */
    public long outsideDatagrams() {
        return outsideDatagrams;
    }

    /** Bytes nodes sent to addresses that are not nodes so far. */
    public long outsideBytes() {
        return outsideBytes;
    }

    /** Datagrams lost so far (to loss, partitions or unknown addresses). */
    public long lost() {
        return lost;
    }

    /** The digest of the run so far: equal for equal configurations, schedules and seeds. */
    public long digest() {
        return digest;
    }

    /** The seed this simulation was built with. */
    public long seed() {
        return seed;
    }

    /** The configuration every node runs. */
    public PulseConfig config() {
        return config;
    }

    /** The indices of nodes that are not crashed. */
    public List<Integer> live() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            if (!crashed[i]) {
                out.add(i);
            }
        }
        return out;
    }

    /** Adds the given role's nodes' addresses as pulsers to every coordinator node in {@code coordinators}. */
    public void addPulsers(Collection<Integer> coordinators, Collection<Integer> pulsers, int maxRetry,
                           Duration delay) {
        for (int c : coordinators) {
            act(0, c, () -> {
                for (int p : pulsers) {
                    nodes[c].addPulser(now, ids[p], maxRetry, delay.toNanos());
                }
            });
        }
    }

    /**
     * What the simulated network does to each datagram, as a value; a simulation can swap it at any virtual time
     * ({@link Simulation#network(long, Network)}). Every datagram is decided independently, with the simulation's
     * seeded network generator, in this order: lost (probability {@code loss}); otherwise delivered after a delay
     * drawn from {@code latency}, plus, with probability {@code reorder}, an extra delay uniform in
     * (0, {@code reorderDelayNs}] that lets later datagrams overtake it; and, with probability {@code duplicate}, a
     * second copy is delivered after its own independently drawn delay.
     *
     * <p>Partitions (between groups, or on single directed links) are not part of this value: they are faults, set and
     * healed over time through {@link Simulation}.
     *
     * @param latency        the one-way delay distribution
     * @param loss           probability that a datagram is lost, in [0, 1)
     * @param duplicate      probability that a delivered datagram is delivered twice, in [0, 1)
     * @param reorder        probability that a datagram is held back so that later ones overtake it, in [0, 1)
     * @param reorderDelayNs the largest extra delay of a held-back datagram, in nanoseconds, in [0, 60 s]
     */
    public record Network(Latency latency, double loss, double duplicate, double reorder, long reorderDelayNs) {

        /** Rejects probabilities outside [0, 1) and negative delays. */
        public Network {
            Objects.requireNonNull(latency, "latency");
            probability("loss", loss);
            probability("duplicate", duplicate);
            probability("reorder", reorder);
            if (reorderDelayNs < 0 || reorderDelayNs > Latency.MAX_NS) {
                throw new IllegalArgumentException("reorderDelay must be in [0, 60s], was " + reorderDelayNs + " ns");
            }
        }

        /** A LAN: 0.2 to 1 ms one way, uniform; no loss, duplication or reordering. */
        public static Network lan() {
            return new Network(new Latency.Uniform(200_000, 1_000_000), 0, 0, 0, 5_000_000);
        }

        /** A wide-area network: log-normal delay with a 30 ms median and a 150 ms p99; nothing lost. */
        public static Network wan() {
            return new Network(new Latency.LogNormal(30_000_000, 150_000_000), 0, 0, 0, 50_000_000);
        }

        /** Loopback: 50 µs one way, fixed. */
        public static Network local() {
            return new Network(new Latency.Fixed(50_000), 0, 0, 0, 1_000_000);
        }

        /**
         * Draws whether a datagram is held back so that later ones overtake it: the extra delay, uniform in
         * (0, {@code reorderDelayNs}], with probability {@code reorder}; otherwise 0. Draw it after the datagram's
         * latency, so that equal seeds give equal runs.
         */
        public long holdBackNs(SplittableRandom random) {
            if (reorder > 0 && random.nextDouble() < reorder) {
                return 1 + random.nextLong(Math.max(1, reorderDelayNs));
            }
            return 0;
        }

        /** This network with another latency distribution. */
        public Network withLatency(Latency newLatency) {
            return new Network(newLatency, loss, duplicate, reorder, reorderDelayNs);
        }

        /** This network with another loss probability. */
        public Network withLoss(double newLoss) {
            return new Network(latency, newLoss, duplicate, reorder, reorderDelayNs);
        }

        /** This network with another duplication probability. */
        public Network withDuplicate(double newDuplicate) {
            return new Network(latency, loss, newDuplicate, reorder, reorderDelayNs);
        }

        /** This network with another reordering probability and largest hold-back delay. */
        public Network withReorder(double newReorder, long newReorderDelayNs) {
            return new Network(latency, loss, duplicate, newReorder, newReorderDelayNs);
        }

        private static void probability(String name, double p) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), was " + p);
            }
        }
    }

    /** Builds a {@link Simulation}. */
    public static final class Builder {
        private int nodes = 3;
        private PulseConfig config = PulseConfig.lan();
        private long seed = 1;
        private Network network = Network.lan();
        private long slowUnitNs = 100_000_000L;
        private Role role = Role.FULL;
        private final Map<Integer, Role> roles = new HashMap<>();

        public Builder nodes(int n) {
            if (n < 1 || n > 1 << 20) {
                throw new IllegalArgumentException("nodes must be in [1, 1048576], was " + n);
            }
            this.nodes = n;
            return this;
        }

        public Builder config(PulseConfig c) {
            this.config = Objects.requireNonNull(c, "config");
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder network(Network n) {
            this.network = Objects.requireNonNull(n, "network");
            return this;
        }

        /**
         * The delay unit of a slow node: a node slow by factor f handles each input (f − 1) × this late. Default
         * 100 ms, so a node slow by 10 answers 900 ms late: past the LAN probe timeout, just inside its period.
         */
        public Builder slowUnit(Duration unit) {
            long ns = unit.toNanos();
            if (ns < 0 || ns > 10_000_000_000L) {
                throw new IllegalArgumentException("slowUnit must be in [0, 10s], was " + unit);
            }
            this.slowUnitNs = ns;
            return this;
        }

        public Builder role(Role r) {
            this.role = Objects.requireNonNull(r, "role");
            return this;
        }

        /** Gives node {@code i} its own role (the others keep {@link #role(Role)}'s). */
        public Builder role(int i, Role r) {
            roles.put(i, Objects.requireNonNull(r, "role"));
            return this;
        }

        /**
         * Builds the simulation.
         *
         * @throws IllegalArgumentException if the nodes outnumber the configuration's {@code maxMembers}, which
         *                                  would keep members apart that should know each other
         */
        public Simulation build() {
            if (nodes > config.maxMembers()) {
                throw new IllegalArgumentException("nodes (" + nodes + ") must be at most the configuration's "
                        + "maxMembers (" + config.maxMembers() + "): raise maxMembers for a cluster this large");
            }
            return new Simulation(this);
        }
    }
}
