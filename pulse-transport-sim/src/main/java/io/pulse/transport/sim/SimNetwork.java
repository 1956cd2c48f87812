package io.pulse.transport.sim;

import io.pulse.api.Identifier;
import io.pulse.spi.TransportClock;
import io.pulse.spi.TransportProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * A simulated network with a virtual clock, over which real {@link io.pulse.engine.PulseNode}s run
 * deterministically: the network behind the transport named {@code "sim"}.
 *
 * <p>Where {@link Simulation} drives many bare {@link io.pulse.engine.ProtocolNode}s as fast as it can, a
 * {@code SimNetwork} hands out {@link SimTransport}s, one per bound address, so that an application builds its
 * nodes exactly as on UDP, with the public API ({@code PulseNode.builder(transport)...start()}), subscribers and
 * failure feed included, and then runs them in virtual time:
 *
 * <pre>{@code
 * SimNetwork net = SimNetwork.builder().seed(7).network(Simulation.Network.lan()).build();
 * List<PulseNode> nodes = new ArrayList<>();
 * for (int i = 1; i <= 5; i++) {
 *     SimTransport t = net.open(Identifier.parse("10.0.0." + i + ":7946"));
 *     nodes.add(PulseNode.builder(t).seed(net.seedFor(t.localAddress())).epoch(SimNetwork.EPOCH).start());
 * }
 * nodes.get(1).join(List.of(nodes.get(0).localAddress()));   // and so on
 * net.runFor(Duration.ofSeconds(10));                          // ten virtual seconds, in milliseconds of wall time
 * Identifier gone = nodes.get(4).localAddress();
 * nodes.get(4).close();                                        // a silent crash: no leave is sent
 * net.runUntil(() -> nodes.get(0).status(gone).orElseThrow().state() == State.DEAD, Duration.ofMinutes(1));
 * }</pre>
 *
 * <p><b>Time.</b> Virtual time starts at 0 when the network is built and moves only inside {@link #runFor},
 * {@link #runUntil(long)} and {@link #runUntil(BooleanSupplier, Duration)}, which run every delivery and every task
 * due by then in (time, scheduling order). Each transport's {@link SimTransport#clock()} is this network's
 * {@link #clock()}, so a node built over it starts no thread and takes every timer from the network.
 *
 * <p><b>The network model</b> is a {@link Simulation.Network} (latency distribution, loss, duplication,
 * reordering), drawn for each datagram, when it is sent, from the network's seeded generator; it can be replaced at
 * any time with {@link #network(Simulation.Network)}. Directed links can be cut with {@link #block} and restored with
 * {@link #unblock} or {@link #heal()}. A datagram is delivered to whichever transport is bound to its destination
 * when it arrives, and is lost if none is (a crashed or restarting node).
 *
 * <p><b>Determinism.</b> A run is a function of the seed, the model and what the program does, in order: which
 * addresses it opens, which nodes it builds, and what it calls between runs. For the nodes themselves to be
 * deterministic, build each with a seed (for example {@link #seedFor(Identifier)}) and with {@link #EPOCH} as its
 * epoch; otherwise a node draws its randomness from {@code SecureRandom} and stamps events with the wall clock.
 * {@link #digest()} folds every delivered datagram and every task run into one number: the same program and seed
 * give the same digest. (Subscribers of a {@code PulseNode} still get their events on the node's delivery threads,
 * in order, but at wall-clock moments; poll {@code status}, {@code statusAll} or the failure feed between runs for
 * a deterministic view.)
 *
 * <p><b>Threads.</b> Not thread-safe: a network, its clock and its transports belong to the thread that built the
 * network, which opens transports, builds and calls the nodes and runs the network. A call from any other thread
 * throws {@link IllegalStateException}, rather than corrupting the run.
 */
public final class SimNetwork {

    /** Virtual time 0 as a wall-clock instant (2026-01-01T00:00:00Z): the epoch to give nodes on this network. */
    public static final Instant EPOCH = Simulation.EPOCH;

    /** The first port handed out to a transport opened with port 0; later ones count up from here. */
    public static final int FIRST_EPHEMERAL_PORT = 49_152;

    private static final int E_DELIVER = 1;
    private static final int E_TASK = 2;

    private final long seed;
    private final Thread owner;
    private final SplittableRandom random;
    private final EventQueue queue = new EventQueue();
    private final Map<Identifier, SimTransport> bound = new HashMap<>();
    private final Set<Link> blocked = new HashSet<>();
    private final Clock clock = new Clock();
    private final CRC32C crc = new CRC32C();
    private Simulation.Network network;
    private int opened;
    private long now;
    private boolean running;
    private long digest = TraceDigest.EMPTY;
    private long events;
    private long sent;
    private long delivered;
    private long lost;
    private long duplicated;
    private long reordered;

    private SimNetwork(Builder b) {
        this.seed = b.seed;
        this.network = b.network;
        this.random = new SplittableRandom(b.seed);
        this.owner = Thread.currentThread();
    }

    /** A builder for a network with seed 1 and {@link Simulation.Network#lan()}. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ transports

    /**
     * Binds a transport to {@code address} on this network.
     *
     * @param address the address to receive on, as peers will send to it; port 0 picks the lowest free port from
     *                {@link #FIRST_EPHEMERAL_PORT} up on that host. A wildcard address (0.0.0.0 or ::) is rejected:
     *                on a simulated network every node needs an address of its own.
     * @throws IllegalArgumentException if the address is a wildcard
     * @throws IllegalStateException    if a transport is already bound to the address (the message names it), or
     *                                  if called from another thread than the network's
     */
    public SimTransport open(Identifier address) {
        checkThread();
        Objects.requireNonNull(address, "address");
        if (isWildcard(address)) {
            throw new IllegalArgumentException("address must be a concrete host on a simulated network, was the "
                    + "wildcard " + address + "; give every node an address of its own, such as 10.0.0.1:7946");
        }
        Identifier at = address.port() != 0 ? address : freePort(address);
        if (bound.containsKey(at)) {
            throw new IllegalStateException("address " + at + " is already bound on this simulated network");
        }
        SimTransport t = new SimTransport(this, at, opened++);
        bound.put(at, t);
        return t;
    }

    private Identifier freePort(Identifier host) {
        byte[] bytes = host.addressBytes();
        for (int port = FIRST_EPHEMERAL_PORT; port <= 65_535; port++) {
            Identifier candidate = Identifier.of(bytes, port);
            if (!bound.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port left on " + host.host() + " in [" + FIRST_EPHEMERAL_PORT
                + ", 65535]");
    }

    private static boolean isWildcard(Identifier address) {
        for (int i = 0; i < address.addressLength(); i++) {
            if (address.addressByte(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether a transport is bound to {@code address} now. */
    public boolean isBound(Identifier address) {
        return bound.containsKey(address);
    }

    /** The addresses bound now, in {@link Identifier} order. */
    public List<Identifier> addresses() {
        checkThread();
        List<Identifier> out = new ArrayList<>(bound.keySet());
        out.sort(null);
        return out;
    }

    /**
     * A seed for the node at {@code address}, derived from this network's seed and the address alone, so that a
     * node keeps its seed whatever order nodes are built in.
     */
    public long seedFor(Identifier address) {
        Objects.requireNonNull(address, "address");
        long h = seed;
        for (byte b : address.addressBytes()) {
            h = mix64(h ^ (b & 0xff));
        }
        return mix64(h ^ address.port());
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * A provider named {@code "sim"} whose transports open on this network, for code that takes a
     * {@link TransportProvider}. It reads no properties: any {@code sim.} key is rejected, naming it (this network
     * is already configured).
     */
    public TransportProvider provider() {
        return new SimTransportProvider(this);
    }

    // -------------------------------------------------------------------------------------------------- faults

    /** The network's behaviour now. */
    public Simulation.Network network() {
        return network;
    }

    /** Replaces the network's behaviour from now on; datagrams already in flight keep their fate. */
    public void network(Simulation.Network newNetwork) {
        checkThread();
        this.network = Objects.requireNonNull(newNetwork, "network");
    }

    /**
     * Cuts the directed link {@code from -> to}: datagrams from {@code from} to {@code to} sent from now on are
     * lost, while the other direction still works (block both for a symmetric cut). Blocking a blocked link does
     * nothing.
     */
    public void block(Identifier from, Identifier to) {
        checkThread();
        blocked.add(new Link(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to")));
    }

    /** Restores the directed link {@code from -> to}; does nothing if it was not blocked. */
    public void unblock(Identifier from, Identifier to) {
        checkThread();
        blocked.remove(new Link(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to")));
    }

    /** Restores every blocked link. */
    public void heal() {
        checkThread();
        blocked.clear();
    }

    /** Whether the directed link {@code from -> to} is blocked now. */
    public boolean isBlocked(Identifier from, Identifier to) {
        return !blocked.isEmpty() && blocked.contains(new Link(from, to));
    }

    private record Link(Identifier from, Identifier to) {
    }

    // ------------------------------------------------------------------------------------------------- running

    /** The virtual clock that every transport of this network shares. */
    public TransportClock clock() {
        return clock;
    }

    /** Virtual time since the network was built, in nanoseconds. */
    public long nowNs() {
        return now;
    }

    /** Virtual time since the network was built. */
    public Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /**
     * Runs every delivery and task due within the next {@code duration} of virtual time; the clock then reads
     * exactly {@code duration} later.
     *
     * @throws IllegalArgumentException if the duration is negative or takes virtual time past about 292 years
     */
    public void runFor(Duration duration) {
        runUntil(deadlineNs("duration", duration));
    }

    /** Now plus {@code d}, checked: not negative, and within the 2^63 ns of virtual time. */
    private long deadlineNs(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        try {
            return Math.addExact(now, d.toNanos());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " must keep virtual time below 2^63 ns (about 292 years), was "
                    + d);
        }
    }

    /**
     * Runs every delivery and task due up to and including virtual time {@code endNs}; the clock then reads
     * {@code endNs}.
     *
     * @throws IllegalArgumentException if {@code endNs} is before the current virtual time
     * @throws IllegalStateException    if called from a task the network is running, or from another thread
     */
    public void runUntil(long endNs) {
        if (endNs < now) {
            throw new IllegalArgumentException("endNs must be at or after the current virtual time " + now
                    + " ns, was " + endNs + " ns");
        }
        enter();
        try {
            while (!queue.isEmpty() && queue.peekTime() <= endNs) {
                step();
            }
            now = endNs;
        } finally {
            running = false;
        }
    }

    /**
     * Runs until {@code condition} holds or {@code limit} of virtual time has passed, whichever comes first. The
     * condition is checked before anything runs, then each time virtual time is about to move on (after every
     * event at one instant has run), and at the end.
     *
     * @param condition a check that only reads (for example a node's {@code status}); it runs on this thread
     * @param limit     the most virtual time to run, not negative
     * @return {@code true} if the condition held, with the clock at the instant it first did; {@code false} if it
     *         still did not after {@code limit}, with the clock {@code limit} later
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        Objects.requireNonNull(condition, "condition");
        long endNs = deadlineNs("limit", limit);
        if (condition.getAsBoolean()) {
            return true;
        }
        while (!queue.isEmpty() && queue.peekTime() <= endNs) {
            long t = queue.peekTime();
            runUntil(t);
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        runUntil(endNs);
        return condition.getAsBoolean();
    }

    private void enter() {
        checkThread();
        if (running) {
            throw new IllegalStateException("the simulated network is already running: runFor and runUntil must "
                    + "not be called from a node, a task or a datagram handler");
        }
        running = true;
    }

    private void step() {
        queue.pop();
        now = queue.topTime;
        events++;
        switch (queue.topKind) {
            case E_DELIVER -> deliver((Datagram) queue.topPayload);
            case E_TASK -> {
                Task task = (Task) queue.topPayload;
                if (!task.cancelled) {
                    mix(now ^ 0x5A5A_0000_0000_0000L);
                    task.run.run();
                }
            }
            default -> throw new IllegalStateException("unknown event kind " + queue.topKind);
        }
    }

    // ------------------------------------------------------------------------------------- datagrams in flight

    /** Sends a copy of {@code bytes} from {@code from}: lost, or queued for delivery after a drawn delay. */
    void transmit(SimTransport from, Identifier to, byte[] bytes) {
        sent++;
        if (isBlocked(from.localAddress(), to)) {
            lost++;
            return;
        }
        Simulation.Network net = network;
        if (net.loss() > 0 && random.nextDouble() < net.loss()) {
            lost++;
            return;
        }
        Datagram d = new Datagram(from, to, bytes);
        queue.add(now + delayNs(net), E_DELIVER, -1, 0, d);
        if (net.duplicate() > 0 && random.nextDouble() < net.duplicate()) {
            duplicated++;
            queue.add(now + delayNs(net), E_DELIVER, -1, 0, d);
        }
    }

    private long delayNs(Simulation.Network net) {
        long d = net.latency().sampleNs(random);
        long held = net.holdBackNs(random);
        if (held > 0) {
            reordered++;
        }
        return d + held;
    }

    private void deliver(Datagram d) {
        SimTransport target = bound.get(d.to);
        if (target == null) {
            lost++;
            return;
        }
        crc.reset();
        crc.update(d.bytes, 0, d.bytes.length);
        mix(now);
        mix(((long) d.from.ordinal() << 32) | target.ordinal());
        mix(((long) d.bytes.length << 32) | crc.getValue());
        if (target.receive(d.from.localAddress(), d.bytes)) {
            delivered++;
        }
    }

    private record Datagram(SimTransport from, Identifier to, byte[] bytes) {
    }

    void unbind(SimTransport t) {
        bound.remove(t.localAddress(), t);
    }

    void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a simulated network belongs to the thread that built it ("
                    + owner.getName() + "); called from " + Thread.currentThread().getName());
        }
    }

    private void mix(long v) {
        digest = TraceDigest.mix(digest, v);
    }

    // ------------------------------------------------------------------------------------------------- figures

    /** The seed every random choice of the network derives from. */
    public long seed() {
        return seed;
    }

    /** A digest of the run so far over every delivered datagram and every task run: equal for equal runs. */
    public long digest() {
        return digest;
    }

    /** Events processed so far: deliveries (lost ones included) and tasks. */
    public long events() {
        return events;
    }

    /** Datagrams handed to the network so far. */
    public long sent() {
        return sent;
    }

    /** Datagrams delivered to a started transport so far. */
    public long delivered() {
        return delivered;
    }

    /** Datagrams lost so far: to the loss probability, blocked links, or no transport bound at the destination. */
    public long lost() {
        return lost;
    }

    /** Datagrams the network delivered twice so far. */
    public long duplicated() {
        return duplicated;
    }

    /** Datagrams held back so that later ones could overtake them, so far. */
    public long reordered() {
        return reordered;
    }

    @Override
    public String toString() {
        return "SimNetwork[seed " + seed + ", " + bound.size() + " bound, at " + Durations.format(now) + "]";
    }

    // --------------------------------------------------------------------------------------------------- clock

    /** A task on the clock, with the flag its {@link TransportClock.Cancellable} sets. */
    private static final class Task implements TransportClock.Cancellable {
        final Runnable run;
        boolean cancelled;

        Task(Runnable run) {
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** The network's virtual clock; tasks share the event queue with deliveries. */
    private final class Clock implements TransportClock {
        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Cancellable schedule(long deadlineNs, Runnable task) {
            checkThread();
            Task t = new Task(Objects.requireNonNull(task, "task"));
            queue.add(Math.max(deadlineNs, now), E_TASK, -1, 0, t);
            return t;
        }

        @Override
        public String toString() {
            return "virtual clock at " + Durations.format(now);
        }
    }

    // ------------------------------------------------------------------------------------------------- builder

    /** Builds a {@link SimNetwork}. */
    public static final class Builder {
        private long seed = 1;
        private Simulation.Network network = Simulation.Network.lan();

        private Builder() {
        }

        /** The seed every random choice of the network derives from (1 by default). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** What the network does to each datagram ({@link Simulation.Network#lan()} by default). */
        public Builder network(Simulation.Network n) {
            this.network = Objects.requireNonNull(n, "network");
            return this;
        }

        /** The network, at virtual time 0, owned by the calling thread. */
        public SimNetwork build() {
            return new SimNetwork(this);
        }
    }
}
