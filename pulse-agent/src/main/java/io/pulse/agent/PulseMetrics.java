package io.pulse.agent;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.api.State;
import io.pulse.api.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's counters as Prometheus metrics, written in the Prometheus text exposition format (version 0.0.4) by
 * the Prometheus Java client.
 *
 * <p>Every scrape takes one snapshot of {@code PulseNode.counters()} and one of {@code statusAll()}, then lets the
 * client's callback metrics read from that snapshot, so that the figures of one scrape are consistent with one
 * another. The mapping (names, labels, help) is listed in {@code docs/http-api.md}; names follow Prometheus'
 * conventions: {@code pulse_} first, the unit last, {@code _total} on counters (added by the client).
 *
 * <p>Thread-safe: scrapes are serialized.
 */
final class PulseMetrics {

    /** The content type of {@link #scrape()}'s text. */
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** One engine or transport counter exposed as one Prometheus counter. */
    private record Mapped(String counter, String name, String help) {
    }

    private static final List<Mapped> COUNTERS = List.of(
            new Mapped("probesSent", "pulse_probes_sent", "Direct probes (pings) sent."),
            new Mapped("acksReceived", "pulse_acks_received", "Acks received for probes this node sent."),
            new Mapped("acksSent", "pulse_acks_sent", "Acks sent in answer to pings."),
            new Mapped("indirectProbesSent", "pulse_indirect_probes_sent",
                    "Indirect probe requests sent after a direct probe went unanswered."),
            new Mapped("nacksSent", "pulse_nacks_sent",
                    "Nacks sent: an indirect probe this node relayed went unanswered (Lifeguard)."),
            new Mapped("nacksReceived", "pulse_nacks_received", "Nacks received from relays."),
            new Mapped("suspicions", "pulse_suspicions", "Members this node started suspecting."),
            new Mapped("refutations", "pulse_refutations",
                    "Records of this node that it refuted by raising its incarnation: suspicions, and stale "
                            + "records of it after a restart."),
            new Mapped("deaths", "pulse_deaths", "Members this node declared dead or learned were dead."),
            new Mapped("accusationsAnswered", "pulse_accusations_answered",
                    "Datagrams that accused this node answered directly with its current incarnation."),
            new Mapped("accusationAnswersHeld", "pulse_accusation_answers_held",
                    "Direct answers to an accusing peer held back: at most one per peer per gossip interval."),
            new Mapped("suspicionChecks", "pulse_suspicion_checks",
                    "Direct pings asking a suspect to refute before its suspicion ends (by every holder; a last one if unconfirmed)."),
            new Mapped("suspicionReminders", "pulse_suspicion_reminders",
                    "Direct pings telling a suspect of a suspicion this node raised, halfway through its minimum timeout."),
            new Mapped("falseSuspicionsRefuted", "pulse_false_suspicions_refuted",
                    "Suspicions of other members that ended with the member proving it was alive."),
            new Mapped("datagramsIn", "pulse_datagrams_received", "Protocol datagrams handed to the engine."),
            new Mapped("datagramsOut", "pulse_datagrams_sent", "Protocol datagrams the engine sent."),
            new Mapped("bytesIn", "pulse_received_bytes", "Bytes of protocol datagrams handed to the engine."),
            new Mapped("bytesOut", "pulse_sent_bytes", "Bytes of protocol datagrams the engine sent."),
            new Mapped("updatesSent", "pulse_gossip_updates_sent", "Membership updates piggybacked or gossiped."),
            new Mapped("updatesReceived", "pulse_gossip_updates_received", "Membership updates received."),
            new Mapped("gossipRounds", "pulse_gossip_rounds", "Gossip rounds that sent pending updates."),
            new Mapped("pushPulls", "pulse_push_pulls", "Full-state exchanges (anti-entropy)."),
            new Mapped("lateAcks", "pulse_late_acks", "Acks that arrived after their probe had timed out."),
            new Mapped("misaddressedPings", "pulse_misaddressed_pings",
                    "Pings addressed to another identity than this node's."),
            new Mapped("rejectedMetadata", "pulse_rejected_metadata", "Metadata updates rejected as too large."),
            new Mapped("rejectedMembers", "pulse_rejected_members",
                    "New members refused because the member table held maxMembers already."),
            new Mapped("transport.datagramsSent", "pulse_transport_datagrams_sent",
                    "Datagrams the UDP transport handed to the socket."),
            new Mapped("transport.bytesSent", "pulse_transport_sent_bytes",
                    "Bytes on the wire sent by the UDP transport (sealed size when sealing)."),
            new Mapped("transport.datagramsReceived", "pulse_transport_datagrams_received",
                    "Datagrams read from the socket, whatever became of them."),
            new Mapped("transport.bytesReceived", "pulse_transport_received_bytes",
                    "Bytes on the wire read from the socket."),
            new Mapped("transport.receiveErrors", "pulse_transport_receive_errors", "Failed socket reads."),
            new Mapped("failureFeedDropped", "pulse_failure_feed_dropped",
                    "Failure messages dropped because the failure feed was full."),
            new Mapped("subscriberDropped", "pulse_subscriber_dropped_events",
                    "Membership events dropped because a subscriber fell behind."),
            new Mapped("loopErrors", "pulse_loop_errors", "Unexpected errors caught in the node's event loop."),
            new Mapped("timerErrors", "pulse_timer_errors",
                    "Unexpected errors thrown by a timer handler (probing goes on; the first is logged)."),
            new Mapped("loopWakeups", "pulse_loop_wakeups",
                    "Times the event-loop thread woke: to fire timers, or because a deadline moved earlier."),
            new Mapped("loopUnparks", "pulse_loop_unparks",
                    "Wake-ups of the event-loop thread caused by a deadline moved earlier."),
            new Mapped("datagramsQueued", "pulse_datagrams_queued",
                    "Datagrams that found the state machine busy and waited in a pooled buffer."),
            new Mapped("datagramsWaited", "pulse_datagrams_waited",
                    "Datagrams whose I/O thread had to wait for the state machine."),
            new Mapped("receiveBuffersAllocated", "pulse_receive_buffers_allocated",
                    "Pooled receive buffers allocated over the node's life (at most 8)."),
            new Mapped("transport.ioWakeups", "pulse_transport_io_wakeups",
                    "Times the UDP transport's I/O thread woke from its selector."));

    private static final String DROPPED = "dropped.";
    private static final String TRANSPORT_DROPPED = "transport.dropped.";

    private final Supplier<Map<String, Long>> counterSource;
    private final Supplier<List<Status>> statusSource;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    // the scrape in progress; written and read under this object's lock
    private Map<String, Long> counters = Map.of();
    private List<Status> statuses = List.of();

    /**
     * @param id            this node's identifier, for {@code pulse_node_info}
     * @param role          this node's role, for {@code pulse_node_info}
     * @param counterSource {@code PulseNode::counters}
     * @param statusSource  {@code PulseNode::statusAll}
     */
    PulseMetrics(String id, String role, Supplier<Map<String, Long>> counterSource,
                 Supplier<List<Status>> statusSource) {
        this.counterSource = counterSource;
        this.statusSource = statusSource;
        GaugeWithCallback.builder().name("pulse_node_info")
                .help("Always 1; labels name this node and its role.")
                .labelNames("id", "role")
                .callback(cb -> cb.call(1, id, role.toLowerCase(Locale.ROOT)))
                .register(registry);
        for (Mapped m : COUNTERS) {
            CounterWithCallback.builder().name(m.name()).help(m.help())
                    .callback(cb -> {
                        Long v = counters.get(m.counter());
                        if (v != null) {
                            cb.call(v);
                        }
                    })
                    .register(registry);
        }
        CounterWithCallback.builder().name("pulse_dropped_datagrams")
                .help("Datagrams dropped, by where they were dropped (layer: transport, protocol) and why.")
                .labelNames("layer", "reason")
                .callback(cb -> counters.forEach((k, v) -> {
                    if (k.startsWith(TRANSPORT_DROPPED)) {
                        cb.call(v, "transport", k.substring(TRANSPORT_DROPPED.length()));
                    } else if (k.startsWith(DROPPED)) {
                        cb.call(v, "protocol", k.substring(DROPPED.length()));
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder().name("pulse_members")
                .help("Members this node knows of, by the state it believes they are in (itself included).")
                .labelNames("state")
                .callback(cb -> {
                    Map<State, Integer> byState = new EnumMap<>(State.class);
                    for (State s : State.values()) {
                        byState.put(s, 0);
                    }
                    for (Status s : statuses) {
                        byState.merge(s.state(), 1, Integer::sum);
                    }
                    byState.forEach((s, n) -> cb.call(n, s.name().toLowerCase(Locale.ROOT)));
                })
                .register(registry);
        GaugeWithCallback.builder().name("pulse_local_health")
                .help("Lifeguard's local health score: 0 is healthy; probe interval and timeouts are multiplied "
                        + "by (score + 1).")
                .callback(cb -> gauge(cb, "localHealth", 1))
                .register(registry);
        GaugeWithCallback.builder().name("pulse_pending_broadcasts")
                .help("Membership updates waiting to be piggybacked or gossiped.")
                .callback(cb -> gauge(cb, "pendingBroadcasts", 1))
                .register(registry);
        GaugeWithCallback.builder().name("pulse_rtt_p99_seconds")
                .help("99th percentile of the round-trip times of this node's direct probes, over all members.")
                .callback(cb -> gauge(cb, "rttP99Us", 1e-6))
                .register(registry);
        GaugeWithCallback.builder().name("pulse_member_rtt_seconds")
                .help("Smoothed round-trip time of this node's direct probes to one member (members with a "
                        + "measurement only).")
                .labelNames("member")
                .callback(cb -> {
                    for (Status s : statuses) {
                        s.rtt().ifPresent(d -> cb.call(d.toNanos() / 1e9, s.id().toString()));
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("pulse_member_rtt_p99_seconds")
                .help("99th percentile of the round-trip times of this node's direct probes to one member.")
                .labelNames("member")
                .callback(cb -> {
                    for (Status s : statuses) {
                        s.rttP99().ifPresent(d -> cb.call(d.toNanos() / 1e9, s.id().toString()));
                    }
                })
                .register(registry);
    }

    private void gauge(GaugeWithCallback.Callback cb, String counter, double scale) {
        Long v = counters.get(counter);
        if (v != null) {
            cb.call(v * scale);
        }
    }

    /** One scrape, as Prometheus text. */
    synchronized String scrape() {
        counters = counterSource.get();
        statuses = statusSource.get();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            writer.write(out, registry.scrape());
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            counters = Map.of();
            statuses = List.of();
        }
    }

    /** The Prometheus names of the counters mapped one to one, for tests and docs. */
    static List<String> mappedCounterNames() {
        return COUNTERS.stream().map(Mapped::counter).toList();
    }
}
