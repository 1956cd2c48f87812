package io.pulse.agent;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/** Runs a subcommand in-process, as the {@code pulse} command would, and captures what it prints. */
final class Cli {

    /** What a run printed and returned. */
    record Result(int exit, String out, String err) {
        /** The non-empty lines of standard error. */
        long errLines() {
            return err.lines().filter(l -> !l.isBlank()).count();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /** A thread-safe writer whose text can be read while a command still runs. */
    static final class Capture {
        private final StringWriter buffer = new StringWriter();
        final PrintWriter writer = new PrintWriter(buffer, true);

        String text() {
            synchronized (buffer) {
                writer.flush();
                return buffer.toString();
            }
        }
    }

    private Cli() {
    }

    /** Runs {@code command} with {@code args} to completion. */
    static Result run(Object command, String... args) {
        Capture out = new Capture();
        Capture err = new Capture();
        int exit = commandLine(command, out, err).execute(args);
        return new Result(exit, out.text(), err.text());
    }

    static CommandLine commandLine(Object command, Capture out, Capture err) {
        CommandLine cli = CliErrors.install(new CommandLine(command));
        cli.setOut(out.writer);
        cli.setErr(err.writer);
        return cli;
    }

    /** A long-running command started on a thread of its own. */
    static final class Background implements AutoCloseable {
        final NodeCommand command;
        final Capture out = new Capture();
        final Capture err = new Capture();
        private final Thread thread;
        private volatile int exit = -1;

        Background(NodeCommand command, String... args) {
            this.command = command;
            command.stopSignal = StopSignal.manual();
            command.leaveTimeout = java.time.Duration.ofSeconds(2); // returns early once the news is out
            CommandLine cli = commandLine(command, out, err);
            thread = new Thread(() -> exit = cli.execute(args), "test-" + command.getClass().getSimpleName());
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits until the command printed its ready line; fails with what it printed if it ended instead. */
        Background awaitRunning() throws InterruptedException {
            await("the command is running", () -> out.text().contains(" running as ") || !thread.isAlive());
            if (!out.text().contains(" running as ")) {
                thread.join(10_000);
                throw new AssertionError("the command ended: exit " + exit + "\n" + out.text() + err.text());
            }
            await("the node is started", () -> command.node() != null || !thread.isAlive());
            return this;
        }

        /** Requests a stop (as SIGTERM would) and returns the exit status. */
        int stop() throws InterruptedException {
            command.stopSignal.stop();
            thread.join(TimeUnit.SECONDS.toMillis(60));
            if (thread.isAlive()) {
                throw new AssertionError("the command did not stop\n" + out.text() + err.text());
            }
            return exit;
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                stop();
            }
        }
    }

    /** Waits for a condition with a generous deadline; never asserts a duration. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
