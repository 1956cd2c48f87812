package io.pulse.engine;

import io.pulse.api.FailureFeed;
import io.pulse.api.FailureMessage;
import io.pulse.api.FullNode;
import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.Metadata;
import io.pulse.api.PulseConfig;
import io.pulse.api.State;
import io.pulse.api.Status;
import io.pulse.api.Subscription;
import io.pulse.spi.Transport;
import io.pulse.spi.TransportClock;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * A live pulse node: the {@link ProtocolNode} state machine driven in real time over a {@link Transport}.
 *
 * <p><b>Threads.</b> One event-loop thread per node ({@code pulse-loop-<port>}) owns the state machine. Datagrams
 * (from the transport's I/O thread) and API calls (from any application thread) reach it through a JCTools MPSC
 * queue; the loop reads {@link System#nanoTime()} once per turn and passes the time down. Membership events are
 * handed to each subscriber's own delivery thread through a bounded buffer, so a slow subscriber never stalls the
 * protocol; it loses its oldest undelivered events instead, counted in {@link Subscription#dropped()}.
 * {@link #status}, {@link #statusAll} and {@link #members} run on the loop, so they always tell the protocol's
 * current truth.
 *
 * <p><b>Simulated time.</b> When the transport owns time ({@link Transport#clock()} is present, as the simulated
 * transport's is), no thread is started: every input runs on the clock's thread, timers are the clock's, and API
 * methods must be called from that thread.
 *
 * <p>All public methods are thread-safe. {@link #close()} releases the loop thread, the subscriber threads and the
 * transport, and may be called more than once.
 */
public final class PulseNode implements FullNode {

    private static final System.Logger LOG = System.getLogger(PulseNode.class.getName());

    private final Transport transport;
    private final PulseConfig config;
    private final Role role;
    private final ProtocolNode node;
    private final Optional<TransportClock> clock;
    private final long startNanos;
    private final MpscUnboundedXaddArrayQueue<Object> inbox = new MpscUnboundedXaddArrayQueue<>(1024);
    private final Thread loop;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Feed failures;
    private final AtomicLong loopErrors = new AtomicLong();
    private volatile boolean running = true;
    private CompletableFuture<Integer> joinFuture;
    private TransportClock.Cancellable clockTimer;
    private long clockTimerAt = Long.MAX_VALUE;

    private PulseNode(Builder b) {
        this.transport = b.transport;
        this.config = b.config;
        this.role = b.role;
        this.clock = transport.clock();
        this.failures = new Feed(config.failureFeedCapacity());
        this.startNanos = clock.isPresent() ? clock.get().nanoTime() : System.nanoTime();
        Instant epoch = b.epoch != null ? b.epoch : Instant.now();
        SplittableRandom random = new SplittableRandom(b.seed != null ? b.seed : new SecureRandom().nextLong());
        int frame = Math.min(config.maxDatagramBytes(), transport.maxPayloadBytes());
        this.node = new ProtocolNode(transport.localAddress(), config, role, random, new LoopEffects(), epoch,
                frame, Interner.NONE);
        if (clock.isPresent()) {
            this.loop = null;
            transport.start((from, payload) -> {
                node.onDatagram(now(), payload);
                rearmClock();
            });
            node.start(now());
            rearmClock();
        } else {
            this.loop = new Thread(this::runLoop, "pulse-loop-" + transport.localAddress().port());
            loop.setDaemon(true);
            transport.start((from, payload) -> {
                byte[] copy = new byte[payload.remaining()];
                payload.get(payload.position(), copy);
                offer(copy);
            });
            loop.start();
            submit(() -> node.start(now()));
        }
    }

    /** A builder for a node over {@code transport}, which the node then owns (and closes). */
    public static Builder builder(Transport transport) {
        return new Builder(transport);
    }

    // ---------------------------------------------------------------------------------------------- the loop

    private long now() {
        return (clock.isPresent() ? clock.get().nanoTime() : System.nanoTime()) - startNanos;
    }

    private void offer(Object item) {
        if (!running) {
            return;
        }
        inbox.offer(item);
        if (sleeping.get() && loop != null) {
            LockSupport.unpark(loop);
        }
    }

    private void runLoop() {
        while (running) {
            long now = now();
            Object item;
            int handled = 0;
            while ((item = inbox.poll()) != null && handled < 4096) {
                handle(item, now);
                handled++;
            }
            try {
                node.onTimers(now());
            } catch (RuntimeException e) {
                loopError(e);
            }
            if (!inbox.isEmpty()) {
                continue;
            }
            long next = node.nextDeadlineNs();
            sleeping.set(true);
            if (inbox.isEmpty() && running) {
                // sleep until the next timer; an offer unparks us sooner. The 1 s cap only bounds the damage of a
                // lost unpark, it is not a poll: an idle node wakes once a second at most for nothing
                long wait = next == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(1) : next - now();
                if (wait > 0) {
                    LockSupport.parkNanos(this, Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
                }
            }
            sleeping.set(false);
        }
    }

    private void handle(Object item, long now) {
        try {
            if (item instanceof byte[] datagram) {
                node.onDatagram(now, ByteBuffer.wrap(datagram));
            } else if (item instanceof Runnable task) {
                task.run();
            }
        } catch (RuntimeException e) {
            loopError(e);
        }
    }

    private void loopError(RuntimeException e) {
        loopErrors.incrementAndGet();
        LOG.log(System.Logger.Level.ERROR, "pulse node " + node.self() + ": unexpected error in the event loop", e);
    }

    private void rearmClock() {
        long next = node.nextDeadlineNs();
        if (next == Long.MAX_VALUE || closed.get()) {
            return;
        }
        long at = next + startNanos;
        if (clockTimer != null && clockTimerAt <= at) {
            return;
        }
        if (clockTimer != null) {
            clockTimer.cancel();
        }
        clockTimerAt = at;
        clockTimer = clock.get().schedule(at, () -> {
            clockTimer = null;
            clockTimerAt = Long.MAX_VALUE;
            node.onTimers(now());
            rearmClock();
        });
    }

    /** Runs {@code call} on the loop and waits for its result. */
    private <T> T call(Supplier<T> call) {
        checkOpen();
        if (clock.isPresent()) {
            T result = call.get();
            rearmClock();
            return result;
        }
        if (Thread.currentThread() == loop) {
            return call.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        offer((Runnable) () -> {
            try {
                f.complete(call.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for node " + node.self(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("node " + node.self() + " did not answer within 30 s", e);
        }
    }

    private void submit(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    private final class LoopEffects implements Effects {
        @Override
        public void send(Identifier to, ByteBuffer frame) {
            transport.send(to, frame);
        }

        @Override
        public void publish(MembershipEvent event) {
            if (event instanceof MembershipEvent.Failed f) {
                failures.offer(f.failure());
            }
            for (Subscriber s : subscribers) {
                s.offer(event);
            }
        }

        @Override
        public void joined(int seedsAnswered) {
            CompletableFuture<Integer> f = joinFuture;
            if (f != null) {
                f.complete(seedsAnswered);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the API

    @Override
    public Identifier localAddress() {
        return node.self();
    }

    /** This node's role. */
    public Role role() {
        return role;
    }

    /** This node's configuration. */
    public PulseConfig config() {
        return config;
    }

    @Override
    public void startPulseResponses() {
        submit(() -> node.setResponding(true));
    }

    @Override
    public void stopPulseResponses() {
        submit(() -> node.setResponding(false));
    }

    @Override
    public boolean isRespondingToPulses() {
        return !closed.get() && call(node::isResponding);
    }

    @Override
    public void addPulser(Identifier pulser, int maxRetry, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        submit(() -> node.addPulser(now(), pulser, maxRetry, delay.toNanos()));
    }

    @Override
    public boolean removePulser(Identifier pulser) {
        return call(() -> node.removePulser(now(), pulser));
    }

    @Override
    public void startAllPulsers() {
        submit(() -> node.startAllPulsers(now()));
    }

    @Override
    public void stopAllPulsers() {
        submit(node::stopAllPulsers);
    }

    @Override
    public Optional<Status> status(Identifier id) {
        Objects.requireNonNull(id, "id");
        return call(() -> node.status(id));
    }

    @Override
    public List<Status> statusAll() {
        return call(node::statusAll);
    }

    @Override
    public FailureFeed failures() {
        return failures;
    }

    @Override
    public CompletionStage<Integer> join(Collection<Identifier> seeds) {
        Objects.requireNonNull(seeds, "seeds");
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("join needs at least one seed");
        }
        List<Identifier> copy = List.copyOf(seeds);
        CompletableFuture<Integer> f = new CompletableFuture<>();
        submit(() -> {
            joinFuture = f;
            node.join(now(), copy);
        });
        return f;
    }

    @Override
    public void leave(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        submit(() -> node.leave(now()));
        if (clock.isPresent()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !closed.get()) {
            long pending = call(() -> node.counters().get("pendingBroadcasts"));
            if (pending == 0) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    public List<Identifier> members() {
        return call(node::members);
    }

    @Override
    public void updateMetadata(Metadata metadata) {
        Objects.requireNonNull(metadata, "metadata");
        submit(() -> node.updateMetadata(now(), metadata));
    }

    @Override
    public Subscription subscribe(Consumer<? super MembershipEvent> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        checkOpen();
        Subscriber s = new Subscriber(subscriber, config.subscriberBufferEvents(), node.self().port());
        subscribers.add(s);
        return s;
    }

    /** This node's own state: ALIVE, or LEFT after {@link #leave}. */
    public State selfState() {
        return call(node::selfState);
    }

    /** This node's incarnation number. */
    public long incarnation() {
        return call(node::incarnation);
    }

    /**
     * Every counter of the protocol (see {@link ProtocolNode#counters()}), the transport's prefixed with
     * {@code transport.}, and the runtime's own ({@code failureFeedDropped}, {@code subscriberDropped},
     * {@code loopErrors}).
     */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>(call(node::counters));
        transport.counters().forEach((k, v) -> m.put("transport." + k, v));
        m.put("failureFeedDropped", failures.dropped());
        long dropped = 0;
        for (Subscriber s : subscribers) {
            dropped += s.dropped();
        }
        m.put("subscriberDropped", dropped);
        m.put("loopErrors", loopErrors.get());
        return m;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        if (loop != null) {
            LockSupport.unpark(loop);
            if (Thread.currentThread() != loop) {
                try {
                    loop.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } else {
            node.close();
            if (clockTimer != null) {
                clockTimer.cancel();
            }
        }
        transport.close();
        for (Subscriber s : subscribers) {
            s.close();
        }
        subscribers.clear();
        CompletableFuture<Integer> f = joinFuture;
        if (f != null) {
            f.completeExceptionally(new IllegalStateException("node closed before any seed answered"));
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("node " + node.self() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "PulseNode[" + node.self() + ", " + role + "]";
    }

    // ------------------------------------------------------------------------------------------ subscribers

    /** One subscriber: a bounded buffer and a delivery thread of its own. */
    private final class Subscriber implements Subscription {
        private final Consumer<? super MembershipEvent> consumer;
        private final int capacity;
        private final ArrayDeque<MembershipEvent> buffer = new ArrayDeque<>();
        private final Thread thread;
        private final AtomicLong dropped = new AtomicLong();
        private volatile boolean open = true;

        Subscriber(Consumer<? super MembershipEvent> consumer, int capacity, int port) {
            this.consumer = consumer;
            this.capacity = capacity;
            this.thread = new Thread(this::deliver, "pulse-events-" + port);
            thread.setDaemon(true);
            thread.start();
        }

        void offer(MembershipEvent e) {
            synchronized (buffer) {
                if (buffer.size() == capacity) {
                    buffer.pollFirst();
                    dropped.incrementAndGet();
                }
                buffer.addLast(e);
                buffer.notifyAll();
            }
        }

        private void deliver() {
            while (open) {
                MembershipEvent e;
                synchronized (buffer) {
                    while (open && buffer.isEmpty()) {
                        try {
                            buffer.wait();
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                    e = buffer.pollFirst();
                }
                if (e != null && open) {
                    try {
                        consumer.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.log(System.Logger.Level.WARNING, "a membership subscriber threw; it stays subscribed",
                                ex);
                    }
                }
            }
        }

        /** Stops delivery; a subscriber blocked in its callback is interrupted, so that its thread ends. */
        @Override
        public void close() {
            open = false;
            subscribers.remove(this);
            synchronized (buffer) {
                buffer.notifyAll();
            }
            if (Thread.currentThread() != thread) {
                thread.interrupt();
            }
        }

        @Override
        public long dropped() {
            return dropped.get();
        }
    }

    /** The bounded failure feed: drops the newest message when full, and counts it. */
    private static final class Feed implements FailureFeed {
        private final ArrayBlockingQueue<FailureMessage> queue;
        private final int capacity;
        private final AtomicLong dropped = new AtomicLong();

        Feed(int capacity) {
            this.capacity = capacity;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        void offer(FailureMessage m) {
            if (!queue.offer(m)) {
                dropped.incrementAndGet();
            }
        }

        @Override
        public Optional<FailureMessage> poll() {
            return Optional.ofNullable(queue.poll());
        }

        @Override
        public Optional<FailureMessage> poll(Duration timeout) throws InterruptedException {
            return Optional.ofNullable(queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
        }

        @Override
        public FailureMessage take() throws InterruptedException {
            return queue.take();
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public long dropped() {
            return dropped.get();
        }
    }

    // ------------------------------------------------------------------------------------------------ builder

    /** Builds and starts a {@link PulseNode}. */
    public static final class Builder {
        private final Transport transport;
        private PulseConfig config = PulseConfig.lan();
        private Role role = Role.FULL;
        private Long seed;
        private Instant epoch;

        private Builder(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        /** The protocol configuration; LAN by default. */
        public Builder config(PulseConfig c) {
            this.config = Objects.requireNonNull(c, "config");
            return this;
        }

        /** The node's role; FULL by default. */
        public Builder role(Role r) {
            this.role = Objects.requireNonNull(r, "role");
            return this;
        }

        /** Seeds the node's random generator (for reproducible tests); drawn from SecureRandom by default. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The wall-clock instant of the node's time 0, for stamping events; now by default. */
        public Builder epoch(Instant e) {
            this.epoch = Objects.requireNonNull(e, "epoch");
            return this;
        }

        /** Builds the node and starts it: it answers pulses and runs its periodic work from now on. */
        public PulseNode start() {
            return new PulseNode(this);
        }
    }
}
