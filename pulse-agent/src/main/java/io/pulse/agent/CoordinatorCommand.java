package io.pulse.agent;

import io.pulse.api.Identifier;
import io.pulse.api.PulseConfig;
import io.pulse.engine.PulseNode;
import io.pulse.engine.Role;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse coordinator}: monitors the pulsers it is given, the Go package's {@code Coordinator}. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        header = "Monitor pulsers directly (the Go package's -coord mode).",
        description = {"Runs a coordinator: pulses every --monitor address every --delay; after a missed pulse it "
                + "retries up to --max-retry times, spaced by the measured round trip, then asks up to three other "
                + "monitored members to pulse it (the Go package's PickThree); if none hears it either, the member "
                + "is declared DEAD and a failure line is logged. Every membership change is logged on one line.",
            "",
            "This is the Go package's '-coord' mode; its '-port' flag is --bind's port here, and its '-api' flag "
                    + "(the REST API's port) is --http."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # monitor two pulsers: a pulse every 2 s, 3 retries, status on :8080",
            "  ./pulse coordinator --monitor 10.0.0.7:3005 --monitor 10.0.0.8:3005 \\",
            "                      --max-retry 3 --delay 2s --http :8080",
            "",
            "  # then, from another terminal",
            "  ./pulse status --http 127.0.0.1:8080",
            "",
            "Exit status: 0 after a requested stop (SIGTERM, Ctrl-C), 1 if an address is in use, 2 for a bad "
                    + "flag."})
public final class CoordinatorCommand extends NodeCommand {

    @Option(names = "--bind", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
            converter = HostPort.Converter.class,
            description = "The UDP address to pulse from (default ${DEFAULT-VALUE}: any free port on loopback; "
                    + "give a routable address to monitor other hosts).")
    HostPort bind;

    @Option(names = "--monitor", paramLabel = "HOST:PORT", required = true, converter = HostPort.Converter.class,
            split = ",",
            description = "A pulser to monitor. Repeatable, or comma-separated; names are resolved once at start.")
    List<HostPort> monitor = new ArrayList<>();

    @Option(names = "--max-retry", paramLabel = "N", defaultValue = "3",
            description = "Direct retries after a missed pulse before other members are asked, 0 to 255 "
                    + "(default ${DEFAULT-VALUE}).")
    int maxRetry;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "Time between pulses to each member, at least 1ms, such as 500ms or 2s; a bare number "
                    + "is seconds, as in the Go package (default ${DEFAULT-VALUE}).")
    Duration delay;

    /** No instance state beyond picocli's fields. */
    public CoordinatorCommand() {
    }

    @Override
    Role role() {
        return Role.COORDINATOR;
    }

    @Override
    HostPort bind() {
        return bind;
    }

    @Override
    void validate(PulseConfig config) {
        if (maxRetry < 0 || maxRetry > 255) {
            throw usage("--max-retry: '" + maxRetry + "': expected a number of retries in [0, 255]");
        }
        if (delay.compareTo(Duration.ofMillis(1)) < 0) {
            throw usage("--delay: '" + DurationConverter.format(delay) + "': expected at least 1ms");
        }
    }

    @Override
    void started(PulseNode node, PrintWriter out) {
        node.subscribe(new EventLog(out));
        List<Identifier> targets = new ArrayList<>();
        for (HostPort m : monitor) {
            targets.add(m.resolve());
        }
        for (Identifier t : targets) {
            node.addPulser(t, maxRetry, delay);
        }
        node.startAllPulsers();
        out.println("pulse coordinator: monitoring " + targets.size() + " member" + (targets.size() == 1 ? "" : "s")
                + " every " + DurationConverter.format(delay) + ", " + maxRetry + " retries: " + targets);
        out.flush();
    }
}
