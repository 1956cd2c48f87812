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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jctools.queues.MpscArrayQueue;

/**
 * A live pulse node: the {@link ProtocolNode} state machine driven in real time over a {@link Transport}.
 *
 * <p><b>Threads.</b> The state machine is guarded by one lock, the <i>machine lock</i>, and whichever thread holds
 * it drives the machine: the transport's I/O thread for a datagram, the calling thread for an API call, and the
 * node's own event-loop thread ({@code pulse-loop-<port>}) for timers. Each input is stamped with
 * {@link System#nanoTime()} read once by its driver. So an event costs one thread wake-up, never two: a datagram
 * is handled on the thread that received it, without a copy or a hand-off, and the loop sleeps until the next timer
 * is due. A holder that moves the next deadline earlier than the one the loop sleeps until wakes it.
 *
 * <p>A datagram that arrives while the machine is busy is not waited for: it is copied into one of a few pooled
 * receive buffers and queued on a JCTools MPSC queue, which every holder drains before it releases the lock (and
 * checks again after), so the datagram is handled as soon as the current work ends; the buffer goes back to the
 * pool. Only when every pooled buffer is queued does the I/O thread wait for the lock. Steady state allocates
 * nothing per datagram.
 *
 * <p>Membership events are handed to each subscriber's delivery thread through a buffer of its own, so a slow
 * subscriber never stalls the protocol; it loses its oldest undelivered events instead, counted in
 * {@link Subscription#dropped()}. The delivery thread exists only while there is something to deliver (it ends
 * after {@value #DELIVERY_IDLE_MS} ms without events), so a quiet node runs two threads: the transport's and its
 * loop. {@link #status}, {@link #statusAll} and {@link #members} run under the machine lock, so they always tell the
 * protocol's current truth.
 *
 * <p><b>User code never runs in the machine.</b> A join's future is completed on a short-lived thread of its own
 * ({@code pulse-callbacks-<port>}), so its continuations, like subscribers, run with no lock of the node held and
 * never on the I/O thread or the loop: they may call the node, block, or close it. A join that no seed answers
 * fails after {@link PulseConfig#joinTimeoutNs()} with a {@link TimeoutException} naming the seeds, while the
 * node goes on retrying.
 *
 * <p><b>Errors.</b> An exception thrown while the machine handles a datagram or fires a timer (a bug, or a
 * transport whose send throws) is caught, counted ({@code loopErrors}; {@code timerErrors} for timers) and logged
 * through {@link System.Logger} the first time only; the protocol arms its periodic work before doing it, so
 * probing goes on.
 *
 * <p><b>Simulated time.</b> When the transport owns time ({@link Transport#clock()} is present, as the simulated
 * transport's is), no thread is started: every input runs on the clock's thread, timers are the clock's, and API
 * methods must be called from that thread. A join's future is then completed by a clock task due at once, which
 * runs right after the input that completed it.
 *
 * <p>All public methods are thread-safe. {@link #close()} releases the loop thread, the subscriber threads and the
 * transport, and may be called more than once, from any thread, a callback's included: it waits at most 10 s for
 * the loop, never for a subscriber or a callback thread, then as long as the transport's own close takes.
 */
public final class PulseNode implements FullNode {

    /** How many received datagrams may wait, copied, while the machine is busy; then the I/O thread waits. */
    private static final int RECEIVE_POOL = 8;
    /** The loop sleeps at most this long without a timer due: it bounds the cost of a lost wake-up. */
    private static final long PARK_CAP_NS = TimeUnit.SECONDS.toNanos(1);
    /** How long a subscriber's delivery thread waits for more events before it ends. */
    static final long DELIVERY_IDLE_MS = 1_000;
    /** How long an API call waits for the machine before it gives up. */
    private static final long CALL_TIMEOUT_S = 30;

    private final System.Logger log;
    private final Transport transport;
    private final PulseConfig config;
    private final Role role;
    private final ProtocolNode node;
    private final Optional<TransportClock> clock;
    private final long startNanos;
    private final ReentrantLock machine = new ReentrantLock();
    /** Datagrams that found the machine busy, in pooled buffers; drained by whoever holds the machine. */
    private final MpscArrayQueue<Received> inbox;
    /** Pooled receive buffers not in use: the I/O thread takes, holders return. */
    private final MpscArrayQueue<Received> freeBuffers;
    private final int receiveBufferBytes;
    private final AtomicInteger buffersAllocated = new AtomicInteger();
    private final Thread loop;
    /** When the parked loop will next wake by itself; {@code Long.MIN_VALUE} while it is awake. */
    private volatile long loopWakeAtNs = Long.MIN_VALUE;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Feed failures;
    private final AtomicLong loopErrors = new AtomicLong();
    private final AtomicLong timerErrors = new AtomicLong();
    private final AtomicBoolean timerErrorLogged = new AtomicBoolean();
    private final AtomicBoolean inputErrorLogged = new AtomicBoolean();
    private final AtomicLong loopWakeups = new AtomicLong();
    private final AtomicLong loopUnparks = new AtomicLong();
    private final AtomicLong datagramsQueued = new AtomicLong();
    private final AtomicLong datagramsWaited = new AtomicLong();
    private volatile boolean running = true;
    /** The future of the last join; set and read with the machine held (in close(), after the machine is done). */
    private volatile CompletableFuture<Integer> joinFuture;
    private TransportClock.Cancellable clockTimer;
    private long clockTimerAt = Long.MAX_VALUE;

    private PulseNode(Builder b) {
        this.log = b.logger;
        this.transport = b.transport;
        this.config = b.config;
        this.role = b.role;
        this.clock = transport.clock();
        this.failures = new Feed(config.failureFeedCapacity());
        this.startNanos = clock.isPresent() ? clock.get().nanoTime() : System.nanoTime();
        Instant epoch = b.epoch != null ? b.epoch : Instant.now();
        SplittableRandom random = new SplittableRandom(b.seed != null ? b.seed : new SecureRandom().nextLong());
        int frame = Math.min(config.maxDatagramBytes(), transport.maxPayloadBytes());
        this.receiveBufferBytes = frame;
        this.node = new ProtocolNode(transport.localAddress(), config, role, random, new LoopEffects(), epoch,
                frame, Interner.NONE);
        if (clock.isPresent()) {
            this.loop = null;
            this.inbox = null;
            this.freeBuffers = null;
            transport.start((from, payload) -> {
                try {
                    node.onDatagram(now(), from, payload);
                } catch (RuntimeException e) {
                    inputError(e);
                }
                rearmClock();
            });
            node.start(now());
            rearmClock();
        } else {
            this.inbox = new MpscArrayQueue<>(RECEIVE_POOL);
            this.freeBuffers = new MpscArrayQueue<>(RECEIVE_POOL);
            this.loop = new Thread(this::runLoop, "pulse-loop-" + transport.localAddress().port());
            loop.setDaemon(true);
            machine.lock();
            try {
                node.start(now());
            } finally {
                machine.unlock();
            }
            loop.start();
            transport.start(this::onDatagram);
        }
    }

    /** A builder for a node over {@code transport}, which the node then owns (and closes). */
    public static Builder builder(Transport transport) {
        return new Builder(transport);
    }

    // ------------------------------------------------------------------------------------------- the machine

    private long now() {
        return (clock.isPresent() ? clock.get().nanoTime() : System.nanoTime()) - startNanos;
    }

    /** The transport's handler: on its I/O thread, one datagram at a time. */
    private void onDatagram(Identifier from, ByteBuffer payload) {
        if (!running) {
            return;
        }
        if (machine.tryLock()) {
            try {
                handleNow(from, payload);
            } finally {
                release();
            }
            return;
        }
        int length = payload.remaining();
        Received copy = length <= receiveBufferBytes ? receiveBuffer() : null;
        if (copy != null) {
            copy.buffer.clear();
            copy.buffer.put(0, payload, payload.position(), length).limit(length);
            copy.from = from;
            if (inbox.offer(copy)) {
                datagramsQueued.incrementAndGet();
                // the holder that made us queue may have released before the offer; then no one else drains
                if (machine.tryLock()) {
                    try {
                        afterInputs(drainInbox(now()));
                    } finally {
                        release();
                    }
                }
                return;
            }
            copy.from = null;
            freeBuffers.offer(copy);
        }
        // every pooled buffer waits already (a flood, or a long API call), or the datagram is larger than any
        // frame this node sends: wait for the machine, which holds back the socket rather than the heap
        datagramsWaited.incrementAndGet();
        machine.lock();
        try {
            handleNow(from, payload);
        } finally {
            release();
        }
    }

    /** A free pooled buffer, allocated while fewer than {@link #RECEIVE_POOL} exist; null if all are queued. */
    private Received receiveBuffer() {
        Received b = freeBuffers.poll();
        if (b == null && buffersAllocated.get() < RECEIVE_POOL) {
            buffersAllocated.incrementAndGet(); // only the I/O thread allocates
            b = new Received(ByteBuffer.allocate(receiveBufferBytes));
        }
        return b;
    }

    /** Handles {@code payload} with the machine held: the queue first, so that datagrams keep their order. */
    private void handleNow(Identifier from, ByteBuffer payload) {
        long now = drainInbox(now());
        try {
            node.onDatagram(now, from, payload);
        } catch (RuntimeException e) {
            inputError(e);
        }
        afterInputs(now);
    }

    /** Handles every queued datagram and returns their buffers to the pool; the machine is held. */
    private long drainInbox(long now) {
        Received b;
        while ((b = inbox.poll()) != null) {
            try {
                node.onDatagram(now, b.from, b.buffer);
            } catch (RuntimeException e) {
                inputError(e);
            }
            b.from = null;
            freeBuffers.offer(b);
        }
        return now;
    }

    /**
     * Fires the timers now due and, if the inputs just handled set one earlier than the loop sleeps until, wakes
     * the loop; the machine is held.
     */
    private void afterInputs(long now) {
        try {
            node.onTimers(now);
        } catch (RuntimeException e) {
            timerError(e);
        }
        long next = node.nextDeadlineNs();
        if (next < loopWakeAtNs) {
            loopWakeAtNs = Long.MIN_VALUE;
            loopUnparks.incrementAndGet();
            LockSupport.unpark(loop);
        }
    }

    /** Releases the machine, then takes it again for whatever was queued meanwhile, unless another holder does. */
    private void release() {
        machine.unlock();
        while (!inbox.isEmpty() && machine.tryLock()) {
            try {
                afterInputs(drainInbox(now()));
            } finally {
                machine.unlock();
            }
        }
    }

    /** The loop: fires timers, then sleeps until the next is due or a holder moves it earlier. */
    private void runLoop() {
        while (running) {
            long waitNs;
            machine.lock();
            try {
                if (!running) {
                    break;
                }
                long now = drainInbox(now());
                try {
                    node.onTimers(now);
                } catch (RuntimeException e) {
                    timerError(e);
                }
                long next = node.nextDeadlineNs();
                long t = now();
                waitNs = next == Long.MAX_VALUE ? PARK_CAP_NS : Math.min(next - t, PARK_CAP_NS);
                // published before the lock is released, so that every later holder compares against it
                loopWakeAtNs = waitNs > 0 ? t + waitNs : Long.MIN_VALUE;
            } finally {
                release();
            }
            if (waitNs > 0) {
                LockSupport.parkNanos(this, waitNs);
                loopWakeAtNs = Long.MIN_VALUE;
                loopWakeups.incrementAndGet();
            }
        }
    }

    /**
     * A timer handler threw: a bug. The protocol has armed its periodic work again before the work ran (see
     * {@link ProtocolNode#onTimers}), so nothing stops; the error is counted, and only the first is logged, so that
     * a handler that throws every period cannot flood the log.
     */
    private void timerError(RuntimeException e) {
        loopErrors.incrementAndGet();
        timerErrors.incrementAndGet();
        logOnce(timerErrorLogged, e, "a timer handler threw; probing goes on. Later ones are counted in "
                + "timerErrors and logged at DEBUG only");
    }

    /** Handling a datagram threw: a bug, since bad input is dropped and counted. Counted; the first is logged. */
    private void inputError(RuntimeException e) {
        loopErrors.incrementAndGet();
        logOnce(inputErrorLogged, e, "handling a datagram threw; the datagram is dropped. Later ones are counted "
                + "in loopErrors and logged at DEBUG only");
    }

    private void logOnce(AtomicBoolean logged, RuntimeException e, String what) {
        if (logged.compareAndSet(false, true)) {
            log.log(System.Logger.Level.ERROR, "pulse node " + node.self() + ": " + what, e);
        } else {
            log.log(System.Logger.Level.DEBUG, "pulse node " + node.self() + ": " + what, e);
        }
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
            try {
                node.onTimers(now());
            } catch (RuntimeException e) {
                timerError(e);
            }
            rearmClock();
        });
    }

    /** Runs {@code call} with the machine held, on the calling thread, and returns its result. */
    private <T> T call(Supplier<T> call) {
        checkOpen();
        if (clock.isPresent()) {
            try {
                return call.get();
            } finally {
                rearmClock();
            }
        }
        if (machine.isHeldByCurrentThread()) {
            // never from user code, which runs off the machine; and never drain inside an input
            return call.get();
        }
        try {
            if (!machine.tryLock(CALL_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("node " + node.self() + " did not answer within " + CALL_TIMEOUT_S
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for node " + node.self(), e);
        }
        try {
            drainInbox(now());
            T result = call.get();
            afterInputs(now());
            return result;
        } finally {
            release();
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
                handOff(() -> f.complete(seedsAnswered));
            }
        }

        @Override
        public void joinTimedOut(List<Identifier> seeds) {
            CompletableFuture<Integer> f = joinFuture;
            if (f != null) {
                TimeoutException e = new TimeoutException("no seed answered within " + seconds(config.joinTimeoutNs())
                        + " (joinTimeout): " + seeds.stream().map(Identifier::toString)
                        .collect(Collectors.joining(", ")) + "; the node goes on retrying");
                handOff(() -> f.completeExceptionally(e));
            }
        }
    }

    /**
     * Runs {@code callback}, which runs user code (a join future's continuations), where no protocol input runs and
     * no lock is held: on a short-lived thread of its own ({@code pulse-callbacks-<port>}), never the I/O thread
     * or the loop; or, when the transport owns time, as a clock task due now, which runs right after the current
     * input. Called with the machine held.
     */
    private void handOff(Runnable callback) {
        if (clock.isPresent()) {
            clock.get().schedule(clock.get().nanoTime(), callback);
            return;
        }
        Thread t = new Thread(callback, "pulse-callbacks-" + node.self().port());
        t.setDaemon(true);
        t.start();
    }

    private static String seconds(long ns) {
        return ns % 1_000_000_000L == 0 ? ns / 1_000_000_000L + "s" : ns / 1_000_000L + "ms";
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
            CompletableFuture<Integer> replaced = joinFuture;
            joinFuture = f;
            if (replaced != null && !replaced.isDone()) {
                // the protocol forgets the earlier attempt: its future would otherwise never complete
                handOff(() -> replaced.completeExceptionally(
                        new CancellationException("replaced by a later join through " + copy)));
            }
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
     * {@code transport.}, and the runtime's own, all cumulative: {@code failureFeedDropped},
     * {@code subscriberDropped}, {@code loopErrors} (unexpected errors thrown while handling a datagram or firing
     * timers; 0 unless pulse has a bug), {@code timerErrors} (those of them thrown by a timer handler; the first is
     * logged, and probing goes on); {@code loopWakeups} (times the loop thread woke from sleep, for
     * a timer or because a holder moved the next deadline earlier: {@code loopUnparks} of them);
     * {@code datagramsQueued} (datagrams that found the machine busy and waited in a pooled buffer),
     * {@code datagramsWaited} (datagrams whose I/O thread had to wait for the machine: every pooled buffer was
     * queued, or the datagram was longer than the frames this node sends) and {@code receiveBuffersAllocated} (pooled buffers allocated, at most 8 over the node's life).
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
        m.put("timerErrors", timerErrors.get());
        m.put("loopWakeups", loopWakeups.get());
        m.put("loopUnparks", loopUnparks.get());
        m.put("datagramsQueued", datagramsQueued.get());
        m.put("datagramsWaited", datagramsWaited.get());
        m.put("receiveBuffersAllocated", (long) buffersAllocated.get());
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
            // not from the loop itself, nor from a thread that holds the machine the loop would wait for
            if (Thread.currentThread() != loop && !machine.isHeldByCurrentThread()) {
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

    /** For tests: whether the calling thread holds the machine, as it must never while user code runs. */
    boolean machineHeldByCurrentThread() {
        return machine.isHeldByCurrentThread();
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

    /**
     * One subscriber: a bounded buffer and a delivery thread of its own, started when an event comes to an empty
     * buffer and ended after {@value #DELIVERY_IDLE_MS} ms without events, so that a quiet node keeps no thread per
     * subscriber. One delivery thread at most at a time, so events arrive in order.
     */
    private final class Subscriber implements Subscription {
        private final Consumer<? super MembershipEvent> consumer;
        private final int capacity;
        private final String threadName;
        private final ArrayDeque<MembershipEvent> buffer = new ArrayDeque<>();
        private Thread thread; // guarded by buffer: the delivery thread while one runs
        private final AtomicLong dropped = new AtomicLong();
        private volatile boolean open = true;

        Subscriber(Consumer<? super MembershipEvent> consumer, int capacity, int port) {
            this.consumer = consumer;
            this.capacity = capacity;
            this.threadName = "pulse-events-" + port;
        }

        void offer(MembershipEvent e) {
            synchronized (buffer) {
                if (!open) {
                    return;
                }
                if (buffer.size() == capacity) {
                    buffer.pollFirst();
                    dropped.incrementAndGet();
                }
                buffer.addLast(e);
                if (thread == null) {
                    thread = new Thread(this::deliver, threadName);
                    thread.setDaemon(true);
                    thread.start();
                } else {
                    buffer.notifyAll();
                }
            }
        }

        private void deliver() {
            while (true) {
                MembershipEvent e;
                synchronized (buffer) {
                    long idleUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_IDLE_MS);
                    while (open && buffer.isEmpty()) {
                        long leftMs = TimeUnit.NANOSECONDS.toMillis(idleUntil - System.nanoTime());
                        if (leftMs <= 0) {
                            thread = null; // the next event starts a new one
                            return;
                        }
                        try {
                            buffer.wait(leftMs);
                        } catch (InterruptedException ie) {
                            // close() interrupts; anything else is not ours to act on: go on while open
                        }
                    }
                    if (!open) {
                        thread = null;
                        return;
                    }
                    e = buffer.pollFirst();
                }
                try {
                    consumer.accept(e);
                } catch (RuntimeException ex) {
                    log.log(System.Logger.Level.WARNING, "a membership subscriber threw; it stays subscribed", ex);
                }
            }
        }

        /** Stops delivery; a subscriber blocked in its callback is interrupted, so that its thread ends. */
        @Override
        public void close() {
            open = false;
            subscribers.remove(this);
            Thread t;
            synchronized (buffer) {
                buffer.clear();
                t = thread;
                buffer.notifyAll();
            }
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }

        @Override
        public long dropped() {
            return dropped.get();
        }
    }

    /**
     * The bounded failure feed: drops the newest message when full, and counts it. Linked, so that an empty feed
     * costs no array of its capacity.
     */
    private static final class Feed implements FailureFeed {
        private final LinkedBlockingQueue<FailureMessage> queue;
        private final int capacity;
        private final AtomicLong dropped = new AtomicLong();

        Feed(int capacity) {
            this.capacity = capacity;
            this.queue = new LinkedBlockingQueue<>(capacity);
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
        private System.Logger logger = System.getLogger(PulseNode.class.getName());

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

        /** For tests: where the node logs; {@code System.getLogger("io.pulse.engine.PulseNode")} by default. */
        Builder logger(System.Logger l) {
            this.logger = Objects.requireNonNull(l, "logger");
            return this;
        }

        /** Builds the node and starts it: it answers pulses and runs its periodic work from now on. */
        public PulseNode start() {
            return new PulseNode(this);
        }
    }

    /** A pooled receive buffer and the source address of the datagram it holds while queued. */
    private static final class Received {
        final ByteBuffer buffer;
        Identifier from;

        Received(ByteBuffer buffer) {
            this.buffer = buffer;
        }
    }
}
