package io.pulse.transport.sim;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
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

    private static final int E_DELIVER = 1;
    private static final int E_WAKE = 2;
    private static final int E_ACTION = 3;

    /** Virtual time 0 as a wall-clock instant, for the instants in events and statuses: 2026-01-01T00:00:00Z. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final PulseConfig config;
    private final Network network;
    private final long seed;
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
    private final Interner interner;
    private final List<EventListener> listeners = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private boolean partitioned;
    private long now;
    private long digest = 0xcbf29ce484222325L;
    private long events;
    private long delivered;
    private long lost;
    private final int[] generation;

    private Simulation(Builder b) {
        this.config = b.config;
        this.network = b.network;
        this.seed = b.seed;
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
        generation = new int[n];
        HashMap<Identifier, Identifier> pool = new HashMap<>();
        this.interner = id -> {
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
        return Identifier.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 7946);
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
        at(atNs, () -> {
            crashed[i] = false;
            nodes[i] = newNode(i);
            scheduledWake[i] = Long.MAX_VALUE;
            nodes[i].start(now);
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

    /** Has node {@code i} leave gracefully at {@code atNs}. */
    public void leave(int i, long atNs) {
        act(atNs, i, () -> nodes[i].leave(now));
    }

    /** Splits the nodes into the groups given (node index to group number) from {@code atNs} for {@code forNs}. */
    public void partition(int[] groups, long atNs, long forNs) {
        at(atNs, () -> {
            System.arraycopy(groups, 0, group, 0, group.length);
            partitioned = true;
        });
        at(atNs + forNs, () -> partitioned = false);
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
                case E_DELIVER -> deliver(i, queue.topArg, (byte[]) queue.topPayload);
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

    private void deliver(int to, int gen, byte[] bytes) {
        if (crashed[to] || gen != generation[to]) {
            return;
        }
        if (pausedUntil[to] > now) {
            queue.add(pausedUntil[to], E_DELIVER, to, gen, bytes);
            return;
        }
        delivered++;
        crc.reset();
        crc.update(bytes, 0, bytes.length);
        mix(now);
        mix(((long) to << 32) | bytes.length);
        mix(crc.getValue());
        nodes[to].onDatagram(now, ByteBuffer.wrap(bytes));
        rewake(to);
    }

    private void wake(int i, int gen) {
        if (crashed[i] || gen != generation[i]) {
            return;
        }
        if (pausedUntil[i] > now) {
            return; // rewoken when the pause ends
        }
        if (scheduledWake[i] != now) {
            return; // stale
        }
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
        Integer target = indexOf.get(to);
        if (target == null) {
            lost++;
            return;
        }
        int t = target;
        if (partitioned && group[from] != group[t]) {
            lost++;
            return;
        }
        if (network.loss() > 0 && netRandom.nextDouble() < network.loss()) {
            lost++;
            return;
        }
        byte[] copy = new byte[n];
        frame.get(frame.position(), copy);
        long latency = network.latencyMinNs() + (network.latencyMaxNs() > network.latencyMinNs()
                ? netRandom.nextLong(network.latencyMaxNs() - network.latencyMinNs() + 1) : 0);
        queue.add(now + latency, E_DELIVER, t, generation[t], copy);
    }

    private void mix(long v) {
        long h = digest ^ v;
        h *= 0x100000001b3L;
        h ^= h >>> 29;
        digest = h;
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
        Integer i = indexOf.get(id);
        return i == null ? -1 : i;
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

    /** The network a simulation runs on: latency uniform in [min, max], and independent loss. */
    public record Network(long latencyMinNs, long latencyMaxNs, double loss) {
        /** Rejects impossible values. */
        public Network {
            if (latencyMinNs < 0 || latencyMaxNs < latencyMinNs) {
                throw new IllegalArgumentException("latency must satisfy 0 <= min <= max, was [" + latencyMinNs
                        + ", " + latencyMaxNs + "] ns");
            }
            if (!(loss >= 0 && loss < 1)) {
                throw new IllegalArgumentException("loss must be in [0, 1), was " + loss);
            }
        }

        /** A LAN: 0.2 to 1 ms one way, no loss. */
        public static Network lan() {
            return new Network(200_000, 1_000_000, 0);
        }

        /** This network with the given loss. */
        public Network withLoss(double newLoss) {
            return new Network(latencyMinNs, latencyMaxNs, newLoss);
        }
    }

    /** Builds a {@link Simulation}. */
    public static final class Builder {
        private int nodes = 3;
        private PulseConfig config = PulseConfig.lan();
        private long seed = 1;
        private Network network = Network.lan();
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

        public Builder role(Role r) {
            this.role = Objects.requireNonNull(r, "role");
            return this;
        }

        /** Gives node {@code i} its own role (the others keep {@link #role(Role)}'s). */
        public Builder role(int i, Role r) {
            roles.put(i, Objects.requireNonNull(r, "role"));
            return this;
        }

        public Simulation build() {
            return new Simulation(this);
        }
    }
}
