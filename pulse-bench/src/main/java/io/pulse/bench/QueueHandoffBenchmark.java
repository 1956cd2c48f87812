package io.pulse.bench;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The hand-off into a node's event loop: producer threads (the transport's I/O thread, application threads)
 * offer to one queue, one consumer (the loop) polls it. JCTools' {@code MpscArrayQueue} against the JDK's
 * {@code ArrayBlockingQueue}, both bounded at 1,024, both used without blocking ({@code offer}/{@code poll}), as
 * the runtime uses its inbox.
 *
 * <p>The score that matters is {@code transferred}: elements that reached the consumer per second (an
 * {@link AuxCounters} counter of successful polls). The raw operation rates also count failed offers (queue full)
 * and empty polls, which measure contention, not hand-off.
 *
 * <p>On this 2-core machine, {@code oneProducer} runs one producer and the consumer (one core each);
 * {@code twoProducers} runs three threads on two cores, which is what a busy node's loop sees.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QueueHandoffBenchmark {

    private static final Object ELEMENT = new Object();

    /** The queue: {@code mpsc} (JCTools) or {@code abq} (ArrayBlockingQueue). */
    @State(Scope.Group)
    public static class Inbox {
        @Param({"mpsc", "abq"})
        public String queue;

        Queue<Object> q;

        @Setup(Level.Trial)
        public void setUp() {
            q = switch (queue) {
                case "mpsc" -> new MpscArrayQueue<>(1024);
                case "abq" -> new ArrayBlockingQueue<>(1024);
                default -> throw new IllegalArgumentException("queue must be mpsc or abq, was " + queue);
            };
        }
    }

    /** Elements the consumer received. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Received {
        public long transferred;

        @Setup(Level.Iteration)
        public void clean() {
            transferred = 0;
        }
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public boolean offer1(Inbox inbox) {
        return inbox.q.offer(ELEMENT);
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public Object poll1(Inbox inbox, Received received) {
        Object e = inbox.q.poll();
        if (e != null) {
            received.transferred++;
        }
        return e;
    }

    @Benchmark
    @Group("twoProducers")
    @GroupThreads(2)
    public boolean offer2(Inbox inbox) {
        return inbox.q.offer(ELEMENT);
    }

    @Benchmark
    @Group("twoProducers")
    @GroupThreads(1)
    public Object poll2(Inbox inbox, Received received) {
        Object e = inbox.q.poll();
        if (e != null) {
            received.transferred++;
        }
        return e;
    }
}
