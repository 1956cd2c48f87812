package io.pulse.agent;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import io.pulse.api.PulseConfig;
import io.pulse.engine.PulseNode;
import io.pulse.engine.Role;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse agent}: a full node (SWIM with Lifeguard), the Go package's {@code FullNode}. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        header = "Run a full node (SWIM + Lifeguard), with an optional HTTP API.",
        description = {"Runs a full node: answers pulses, probes its peers (SWIM with Lifeguard), gossips "
                + "membership, and logs every membership change on one line. On SIGTERM or Ctrl-C it leaves "
                + "the cluster gracefully (peers see LEFT, not a failure) and exits 0."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # the first node of a cluster, with its HTTP API on 127.0.0.1:8080",
            "  ./pulse agent --bind 10.0.0.7:7946 --http :8080",
            "",
            "  # a second node, joining through the first",
            "  ./pulse agent --bind 10.0.0.8:7946 --join 10.0.0.7:7946 \\",
            "                --name db-2 --metadata zone=eu-1",
            "",
            "  # sealed traffic and a protected API",
            "  ./pulse agent --bind 10.0.0.9:7946 --join 10.0.0.7:7946 \\",
            "                --key-file /etc/pulse/keyring \\",
            "                --http 127.0.0.1:8080 --http-token-file /etc/pulse/token",
            "",
            "Exit status: 0 after a requested stop, 1 if an address is in use or no seed answers, "
                    + "2 for a bad flag."})
public final class AgentCommand extends NodeCommand {

    @Option(names = "--bind", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7946",
            converter = HostPort.Converter.class,
            description = "The UDP address to listen on and to be known by (default ${DEFAULT-VALUE}). Peers must "
                    + "be able to reach it: bind a routable address, not 0.0.0.0.")
    HostPort bind;

    @Option(names = "--join", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            description = "A seed: a running member to join through. Repeatable; names are resolved once at "
                    + "start. Without --join the node starts a new cluster.")
    List<HostPort> join = new ArrayList<>();

    @Option(names = "--join-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Give up (exit 1) if no seed answered within this time (default ${DEFAULT-VALUE}).")
    Duration joinTimeout;

    @Option(names = "--name", paramLabel = "NAME",
            description = "A name for this node, published in its metadata as name=NAME.")
    String name;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE",
            description = "Metadata published to every member, such as zone=eu-1. Repeatable; keys and values may "
                    + "not contain ',' or '='.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--direct-monitor-threshold", paramLabel = "N", defaultValue = "0",
            description = "Hybrid mode (the Go package's heartbeats): while the cluster has at most N members, "
                    + "monitor every member directly. Costs about 2(N-1) datagrams per member per second "
                    + "(100: ~200/s) against SWIM's ~2. 0 to 100000 (default ${DEFAULT-VALUE}: SWIM with Lifeguard "
                    + "alone).")
    int directMonitorThreshold;

    /** No instance state beyond picocli's fields. */
    public AgentCommand() {
    }

    @Override
    Role role() {
        return Role.FULL;
    }

    @Override
    HostPort bind() {
        return bind;
    }

    /** The preset, with {@code --direct-monitor-threshold}, and {@code --join-timeout} as the node's own. */
    @Override
    PulseConfig config() {
        if (directMonitorThreshold < 0 || directMonitorThreshold > 100_000) {
            throw usage("--direct-monitor-threshold: expected an integer in [0, 100000], was "
                    + directMonitorThreshold);
        }
        if (joinTimeout.isNegative() || joinTimeout.isZero()) {
            throw usage("--join-timeout: expected a positive duration such as 30s");
        }
        try {
            return super.config().toBuilder().directMonitorThreshold(directMonitorThreshold)
                    .joinTimeout(joinTimeout).build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage()); // names the field, for example joinTimeout, and its range
        }
    }

    @Override
    void validate(PulseConfig config) {
        String m = metadataText();
        int bytes = m.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.metadataMaxBytes()) {
            throw usage("--metadata: " + bytes + " bytes of metadata, at most " + config.metadataMaxBytes()
                    + " accepted");
        }
    }

    /** {@code name=NAME,key=value,...}. */
    String metadataText() {
        Map<String, String> all = new LinkedHashMap<>();
        if (name != null) {
            if (name.isBlank() || name.contains(",") || name.contains("=")) {
                throw usage("--name: '" + name + "': expected a non-empty name without ',' or '='");
            }
            all.put("name", name);
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k.isEmpty() || k.contains(",") || v.contains(",") || v.contains("=")) {
                throw usage("--metadata: '" + k + "=" + v + "': expected KEY=VALUE, neither containing ',' or '='");
            }
            all.put(k, v);
        }
        return all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    @Override
    void started(PulseNode node, PrintWriter out) {
        node.subscribe(new EventLog(out));
        String meta = metadataText();
        if (!meta.isEmpty()) {
            node.updateMetadata(Metadata.ofUtf8(meta));
        }
        if (join.isEmpty()) {
            out.println("pulse agent: no --join given: this node starts a new cluster; others join it with "
                    + "--join " + node.localAddress());
            out.flush();
            return;
        }
        List<Identifier> seeds = new ArrayList<>();
        for (HostPort s : join) {
            seeds.add(s.resolve());
        }
        try {
            CompletableFuture<Integer> joined = node.join(seeds).toCompletableFuture();
            long deadline = System.nanoTime() + joinTimeout.toNanos();
            while (!joined.isDone()) {
                if (stopSignal.stopRequested()) {
                    return; // stopped while joining: leave and close as usual
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException();
                }
                try {
                    joined.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    // check the stop signal and the deadline again
                }
            }
            int answered = joined.get();
            out.println("pulse agent: joined the cluster through " + answered + " of " + seeds.size() + " seed"
                    + (seeds.size() == 1 ? "" : "s") + "; " + node.members().size() + " members known");
            out.flush();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            if (e instanceof java.util.concurrent.ExecutionException x && !(x.getCause() instanceof TimeoutException)) {
                throw new UserException("join failed: " + x.getCause().getMessage());
            }
            // the node's own join timeout (set from --join-timeout), or the wait above, whichever ended first
            throw new UserException("no seed answered within " + DurationConverter.format(joinTimeout) + ": "
                    + seeds.stream().map(Identifier::toString).collect(Collectors.joining(", "))
                    + " (is an agent running there, reachable, with the same --key-file?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while joining");
        } catch (CompletionException e) {
            throw new UserException("join failed: " + e.getCause().getMessage());
        }
    }

    /** For tests: the join timeout actually used. */
    Duration joinTimeout() {
        return joinTimeout;
    }
}
