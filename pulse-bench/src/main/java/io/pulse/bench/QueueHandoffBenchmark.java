package io.pulse.bench;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MpscArrayQueue;
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
import org.openjdk.jmh.infra.Control;

/**
 * The hand-off into a node's event loop: producer threads (the transport's I/O thread, application threads)
 * offer to one queue, one consumer (the loop) polls it. JCTools' {@code MpscArrayQueue} against the JDK's
 * {@code ArrayBlockingQueue}, both bounded at 1,024, both used through the non-blocking {@code offer}/{@code poll}
 * the runtime's inbox uses.
 *
 * <p>One operation is one element handed over: a producer retries {@code offer} while the queue is full, the
 * consumer retries {@code poll} while it is empty (spinning with {@code Thread.onSpinWait}, and giving up only
 * when JMH ends the iteration, through {@link Control}). So the consumer's rate ({@code poll1}, {@code poll2}) is
 * elements transferred per second, and the producers' rate is the same figure split between them.
 *
 * <p>On this 2-core machine, {@code oneProducer} runs one producer and the consumer (one core each);
 * {@code twoProducers} runs three spinning threads on two cores: oversubscribed, which punishes whichever queue
 * makes a descheduled thread hold others up (a lock does; a lock-free queue does not).
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

        @Setup(Level.Iteration)
        public void setUp() {
            q = switch (queue) {
                case "mpsc" -> new MpscArrayQueue<>(1024);
                case "abq" -> new ArrayBlockingQueue<>(1024);
                default -> throw new IllegalArgumentException("queue must be mpsc or abq, was " + queue);
            };
        }
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public boolean offer1(Inbox inbox, Control control) {
        return offer(inbox.q, control);
    }

    @Benchmark
    @Group("oneProducer")
    @GroupThreads(1)
    public Object poll1(Inbox inbox, Control control) {
        return poll(inbox.q, control);
    }

    @Benchmark
    @Group("twoProducers")
    @GroupThreads(2)
    public boolean offer2(Inbox inbox, Control control) {
        return offer(inbox.q, control);
    }

    @Benchmark
    @Group("twoProducers")
    @GroupThreads(1)
    public Object poll2(Inbox inbox, Control control) {
        return poll(inbox.q, control);
    }

    private static boolean offer(Queue<Object> q, Control control) {
        while (!q.offer(ELEMENT)) {
            if (control.stopMeasurement) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    private static Object poll(Queue<Object> q, Control control) {
        Object e;
        while ((e = q.poll()) == null) {
            if (control.stopMeasurement) {
                return null;
            }
            Thread.onSpinWait();
        }
        return e;
    }
}
