package io.pulse.agent;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The {@code pulse} command. Each subcommand is a class of its own, annotated with picocli's {@link Command} and
 * listed in {@link #SUBCOMMANDS}: adding a subcommand is adding a class and naming it there.
 *
 * <p>Exit status: 0 on success, 1 when a run fails, 2 for a bad flag or value (one line on standard error that
 * names the flag and what it accepts; no stack trace): see {@link CliErrors}.
 */
@Command(name = "pulse", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"pulse: a SWIM + Lifeguard failure detector. Subcommands:"},
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./pulse demo",
            "  ./pulse sim --nodes 1000 --duration 10m --crash 5 --seed 1",
            "  ./pulse sim --nodes 200 --slow 3 --local-health off --json",
            "",
            "Run './pulse COMMAND --help' for a command's flags."})
public final class Main implements Callable<Integer> {

    /** The subcommands, in the order {@code --help} lists them. */
    static final Class<?>[] SUBCOMMANDS = {DemoCommand.class, AgentCommand.class, PulserCommand.class,
        CoordinatorCommand.class, StatusCommand.class, SimCommand.class};

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (for tests: nothing exits the JVM). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The {@code pulse} command with every subcommand and the error handling described above. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> sub : SUBCOMMANDS) {
            cli.addSubcommand(sub);
        }
        return CliErrors.install(cli);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliErrors.EXIT_USAGE;
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pulse " + (v == null ? "(development build)" : v)};
        }
    }
}
