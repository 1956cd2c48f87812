package io.pulse.agent;

import io.pulse.engine.PulseNode;
import io.pulse.engine.Role;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse pulser}: answers pulses and nothing else, the Go package's {@code Pulser}. */
@Command(name = "pulser", mixinStandardHelpOptions = true,
        header = "Only answer pulses (the Go package's -pulser mode).",
        description = {"Runs a pulser: a node that only answers pulses (pings and indirect ping requests) from "
                + "coordinators and full nodes. It monitors nobody and gossips nothing.",
            "",
            "This is the Go package's '-pulser' mode; its '-port' flag is --bind's port here, and its '-api' "
                    + "flag (the REST API's port) is --http."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # answer pulses on 10.0.0.7:3005 (coordinators: --monitor 10.0.0.7:3005)",
            "  ./pulse pulser --bind 10.0.0.7:3005",
            "",
            "  # the same with /health and /metrics on 127.0.0.1:8081",
            "  ./pulse pulser --bind 10.0.0.7:3005 --http :8081",
            "",
            "Exit status: 0 after a requested stop (SIGTERM, Ctrl-C), 1 if the address is in use, 2 for a bad flag."})
public final class PulserCommand extends NodeCommand {

    @Option(names = "--bind", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7946",
            converter = HostPort.Converter.class,
            description = "The UDP address to answer on (default ${DEFAULT-VALUE}).")
    HostPort bind;

    /** No instance state beyond picocli's fields. */
    public PulserCommand() {
    }

    @Override
    Role role() {
        return Role.PULSER;
    }

    @Override
    HostPort bind() {
        return bind;
    }

    @Override
    void started(PulseNode node, PrintWriter out) {
        out.println("pulse pulser: answering pulses on " + node.localAddress());
        out.flush();
    }
}
