package io.pulse.agent;

import picocli.CommandLine;

/**
 * Runs one subcommand in a fresh process the way the {@code pulse} command does (same error handling, same exit
 * codes), for the tests that need a real process: SIGTERM handling. {@code Launch agent --bind ...}.
 */
public final class Launch {

    private Launch() {
    }

    /** {@code args[0]} names the subcommand; the rest are its arguments. */
    public static void main(String[] args) {
        Object command = switch (args[0]) {
            case "agent" -> new AgentCommand();
            case "pulser" -> new PulserCommand();
            case "coordinator" -> new CoordinatorCommand();
            case "status" -> new StatusCommand();
            case "demo" -> new DemoCommand();
            default -> throw new IllegalArgumentException(args[0]);
        };
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        System.exit(CliErrors.install(new CommandLine(command)).execute(rest));
    }
}
