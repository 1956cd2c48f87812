/**
 * pulse's JMH benchmarks: the hot paths of the wire codec and the protocol state machine, the queues and
 * recorders the runtime is built from, AES-GCM sealing and UDP on loopback; the scale runner
 * ({@link io.pulse.bench.ScaleRunner}), which measures the simulator and the protocol at n = 100, 1,000 and 10,000;
 * and the peer comparison against ScaleCube.
 *
 * <p><b>What it owns.</b> Benchmark classes and the two runners only; each benchmark names its goal (from {@code BENCHMARKS.md}) in its
 * Javadoc and measures one concern. Frames are built with the engine's own {@code FrameWriter}, so a benchmark
 * measures the engine, not a second codec.
 *
 * <p><b>What it may touch.</b> Everything: this module runs on the class path, so it reaches the engine's
 * unexported {@code io.pulse.engine.internal} package. Nothing else may.
 *
 * <p><b>Threading.</b> JMH owns the threads; state objects are {@code Scope.Thread} unless a benchmark measures a
 * hand-off between threads, in which case it says so. The scale runner simulates on its main thread (the
 * simulator is single-threaded); only its heap watch listens on a JMX thread.
 *
 * <p>Run all with {@code java -jar pulse-bench/target/benchmarks.jar}, one with a regex
 * ({@code java -jar pulse-bench/target/benchmarks.jar WireCodec -prof gc}); the scale runner with
 * {@code java -Xmx12g -cp pulse-bench/target/benchmarks.jar io.pulse.bench.ScaleRunner --help}.
 */
package io.pulse.bench;
