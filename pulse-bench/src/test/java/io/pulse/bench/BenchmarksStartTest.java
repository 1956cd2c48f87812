package io.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * A smoke test, not a measurement: every benchmark in {@code io.pulse.bench} runs once in this JVM (no fork, no
 * warm-up, one 10 ms iteration) and must produce a result. No figure is asserted: tests never assert a wall-clock
 * duration.
 */
class BenchmarksStartTest {

    @Test
    void everyBenchmarkStartsAndProducesAResult() throws RunnerException {
        Options options = new OptionsBuilder()
                .include("io\\.pulse\\.bench\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(10))
                .timeout(TimeValue.seconds(60))
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertFalse(results.isEmpty(), "no benchmark ran: is META-INF/BenchmarkList generated?");
        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            ran.add(r.getParams().getBenchmark());
            assertEquals(1, r.getBenchmarkResults().size(), r.getParams().getBenchmark());
        }
        System.out.println("smoke-ran " + ran.size() + " benchmarks: " + ran);
    }
}
