package io.pulse.transport.udp;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.engine.PulseNode;
import io.pulse.engine.Role;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Real engines ({@link PulseNode}) over real {@link UdpTransport}s on a loopback address, for the cluster tests:
 * opens nodes with a fast configuration, records every membership event each one publishes from the moment it
 * starts, and closes everything in {@link #close()}.
 *
 * <p>Each node's engine is seeded from one master seed ({@code seed + index}), printed when the cluster is made;
 * {@code -Dpulse.seed=N} replays one.
 */
final class LoopbackCluster implements AutoCloseable {

    /**
     * Fast enough that a test detects a failure in a few seconds, slow enough for a loaded 2-core machine: a probe
     * every 200 ms with 100 ms to answer, suspicion multiplier 2, gossip every 50 ms.
     */
    static final PulseConfig FAST = PulseConfig.local().toBuilder()
            .probeInterval(Duration.ofMillis(200)).probeTimeout(Duration.ofMillis(100))
            .probeTimeoutMin(Duration.ofMillis(20)).suspicionMultiplier(2)
            .gossipInterval(Duration.ofMillis(50)).pushPullInterval(Duration.ofSeconds(2))
            .directMonitorThreshold(0).build();

    /** How long any wait lasts at most: generous, because CI machines are shared and slow. */
    static final Duration DEADLINE = Duration.ofSeconds(60);

    /** One node: the engine, the transport it owns, and every event it published. */
    record Member(PulseNode node, UdpTransport transport, List<MembershipEvent> events) {
        Identifier id() {
            return transport.localAddress();
        }

        /** Whether this node holds {@code other} in {@code state}. */
        boolean sees(Identifier other, State state) {
            return node.status(other).map(s -> s.state() == state).orElse(false);
        }

        long counter(String name) {
            Long v = node.counters().get(name);
            if (v == null) {
                throw new AssertionError("no counter named " + name + " at " + id() + "; have "
                        + node.counters().keySet());
            }
            return v;
        }

        /** The events about {@code member} of the given kind. */
        long eventsAbout(Identifier member, Class<? extends MembershipEvent> kind) {
            return events.stream().filter(e -> kind.isInstance(e) && e.member().equals(member)).count();
        }

        @Override
        public String toString() {
            return "node " + id();
        }
    }

    private final String host;
    private final long seed;
    private final List<Member> members = new ArrayList<>();

    /** A cluster of nodes bound to {@code host} (such as {@code 127.0.0.1} or {@code [::1]}), port 0 each. */
    LoopbackCluster(String host) {
        this.host = host;
        this.seed = Long.getLong("pulse.seed", System.nanoTime());
        System.out.println("LoopbackCluster on " + host + ": seed " + seed + " (replay with -Dpulse.seed=" + seed
                + ")");
    }

    long seed() {
        return seed;
    }

    /** Opens and starts a full node, plaintext. */
    Member start() throws IOException {
        return start(b -> b);
    }

    /** Opens and starts a full node whose transport is configured by {@code transport} (a keyring, say). */
    Member start(UnaryOperator<UdpTransport.Builder> transport) throws IOException {
        UdpTransport t = transport.apply(UdpTransport.builder().bind(Identifier.parse(host + ":0"))
                .receiveBufferBytes(1 << 21)).open();
        List<MembershipEvent> events = new CopyOnWriteArrayList<>();
        PulseNode n;
        try {
            n = PulseNode.builder(t).config(FAST).role(Role.FULL).seed(seed + members.size()).start();
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        n.subscribe(events::add);
        Member m = new Member(n, t, events);
        members.add(m);
        return m;
    }

    /** Joins {@code m} through {@code seed}, waiting for the join to complete. */
    static void join(Member m, Member seed) throws Exception {
        m.node().join(List.of(seed.id())).toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits until every one of {@code nodes} holds exactly {@code nodes} as its running members. */
    static void awaitConverged(String what, List<Member> nodes) throws InterruptedException {
        List<Identifier> ids = nodes.stream().map(Member::id).sorted().toList();
        await(what + ": every node holds exactly " + ids, () -> nodes.stream()
                .allMatch(m -> m.node().members().stream().sorted().toList().equals(ids)));
    }

    /** Waits for a condition, polling; never asserts how long it took. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until a counter of each of {@code nodes} has grown by at least {@code by} from now. */
    static void awaitProgress(String what, List<Member> nodes, String counter, long by) throws InterruptedException {
        long[] from = nodes.stream().mapToLong(m -> m.counter(counter)).toArray();
        await(what + ": " + counter + " grows by " + by + " at every node", () -> {
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).counter(counter) - from[i] < by) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The events of {@code kind} any of {@code observers} published, for a failure message. */
    static List<MembershipEvent> events(List<Member> observers, Predicate<MembershipEvent> kind) {
        List<MembershipEvent> out = new ArrayList<>();
        observers.forEach(m -> m.events().stream().filter(kind).forEach(out::add));
        return out;
    }

    /** The counters whose names start with {@code prefix}, for a failure message. */
    static String counters(Member m, String prefix) {
        StringBuilder sb = new StringBuilder(m.toString()).append(':');
        for (Map.Entry<String, Long> e : m.node().counters().entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue() != 0) {
                sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.node().close(); // closes its transport too; idempotent, so a node a test closed is fine
        }
    }
}
