package io.pulse.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Recording a round-trip time in an HdrHistogram configured as the engine's is (1 µs to 60 s, two significant
 * digits), and reading the 99th percentile the engine derives its ack timeout from. Values are RTTs in µs drawn
 * from a log-uniform spread of 50 µs to 50 ms, precomputed. Goal: recording a few nanoseconds, no allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HistogramBenchmark {

    private static final long HIGHEST_US = 60_000_000L;

    private final Histogram histogram = new Histogram(HIGHEST_US, 2);
    private final long[] values = new long[4096];
    private int i;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < values.length; k++) {
            values[k] = (long) (50 * Math.pow(1000, random.nextDouble()));
            histogram.recordValue(values[k]);
        }
    }

    /** Records one value. */
    @Benchmark
    public long recordValue() {
        long v = values[i++ & (values.length - 1)];
        histogram.recordValue(v);
        return v;
    }

    /** Reads the 99th percentile (the engine does this once per 64 samples). */
    @Benchmark
    public long p99() {
        return histogram.getValueAtPercentile(99.0);
    }
}
