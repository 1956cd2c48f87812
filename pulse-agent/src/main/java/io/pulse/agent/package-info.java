/**
 * The agent: the program a person runs.
 *
 * <p><b>Owns</b> the command line, the HTTP status API, the metrics exposition and the demo. It is the only module
 * that reads flags, files and environment variables.
 *
 * <p><b>Node commands</b> ({@code agent}, {@code pulser}, {@code coordinator}) share {@code NodeCommand}: the command's
 * thread opens the transport, starts the {@code PulseNode}, then waits on a {@code StopSignal} (a shutdown hook for
 * SIGTERM and SIGINT) and leaves and closes on the same thread. Membership events are printed from the node's
 * subscriber thread; the HTTP API ({@code HttpApi}, JDK {@code HttpServer}) answers on two threads of its own; both
 * only call the node's thread-safe methods. {@code PulseMetrics} maps the node's counters to Prometheus metrics, one
 * snapshot per scrape.
 *
 * <p><b>Errors</b> follow {@code CliErrors}: a bad flag is one line and exit 2; a {@code UserException} (port in use,
 * unreachable address) is one line and exit 1; anything else is a bug and shows its stack trace.
 */
package io.pulse.agent;
