package io.pulse.agent;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How every {@code pulse} subcommand reports a mistake: one line on standard error, no stack trace.
 *
 * <ul>
 *   <li>a bad flag or value (picocli's {@link CommandLine.ParameterException}): one line naming the flag and what it
 *       accepts, and a pointer to {@code --help}; exit {@value #EXIT_USAGE};</li>
 *   <li>a {@link UserException} (a port in use, an unreachable address, an unreadable file): its message alone;
 *       exit {@value #EXIT_FAILURE};</li>
 *   <li>anything else is a bug in pulse: the message and the stack trace, so that it can be reported; exit
 *       {@value #EXIT_FAILURE}.</li>
 * </ul>
 */
public final class CliErrors {

    /** Exit status for a bad flag or value. */
    public static final int EXIT_USAGE = 2;
    /** Exit status for a failure at run time (port in use, address unreachable, a crash). */
    public static final int EXIT_FAILURE = 1;

    private CliErrors() {
    }

    /** Installs both handlers on {@code cli} (and its subcommands, which inherit them); returns it. */
    public static CommandLine install(CommandLine cli) {
        cli.setParameterExceptionHandler(CliErrors::onBadParameter);
        cli.setExecutionExceptionHandler(CliErrors::onExecutionFailure);
        return cli;
    }

    private static int onBadParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + firstLine(e.getMessage()) + " (see '" + name + " --help')");
        err.flush();
        return EXIT_USAGE;
    }

    private static int onExecutionFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        if (e instanceof UserException) {
            err.println(name + ": " + e.getMessage());
        } else {
            err.println(name + ": internal error (please report it): " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /**
     * Prints a {@link UserException} as {@code <command>: <message>} on the command's standard error and returns
     * {@link #EXIT_FAILURE}. Commands call it themselves, so that they behave the same under any top-level
     * handler.
     */
    static int userError(CommandLine.Model.CommandSpec spec, UserException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + e.getMessage());
        err.flush();
        return EXIT_FAILURE;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid command line";
        }
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).strip();
        return line.isEmpty() ? "invalid command line" : line;
    }
}
