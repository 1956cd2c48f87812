package io.pulse.agent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When a long-running command ({@code agent}, {@code pulser}, {@code coordinator}) should stop, and how the process
 * ends afterwards.
 *
 * <p>{@link #onTermination()} is the real one: a JVM shutdown hook, run on SIGTERM and SIGINT (Ctrl-C), releases
 * {@link #await()}, waits up to {@value #CLEANUP_SECONDS} s for the command to leave the cluster and close, then
 * ends the process with status 0: a requested stop is a success, not the 143 or 130 the JVM would report (1 if the
 * command failed while stopping, or did not finish in time). Tests use
 * {@link #manual()} and {@link #stop()} instead, in-process.
 */
class StopSignal {

    /** The longest the shutdown hook waits for the command's graceful leave and close. */
    static final int CLEANUP_SECONDS = 15;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private volatile boolean succeeded;

    StopSignal() {
    }

    /** A signal released only by {@link #stop()}. */
    static StopSignal manual() {
        return new StopSignal();
    }

    /** A signal released by SIGTERM or SIGINT; see the class description. */
    static StopSignal onTermination() {
        return new Termination();
    }

    /** Arms the signal; called once the command is running. */
    void arm() {
    }

    /** Blocks until a stop is requested. */
    void await() throws InterruptedException {
        stopRequested.await();
    }

    /** Requests a stop. */
    void stop() {
        stopRequested.countDown();
    }

    /** Whether a stop was requested. */
    boolean stopRequested() {
        return stopRequested.getCount() == 0;
    }

    /**
     * Tells the signal that the command has released everything; call in a finally block.
     *
     * @param success whether the command ended normally
     */
    void cleanedUp(boolean success) {
        succeeded = success;
        cleanedUp.countDown();
    }

    /** Waits for {@link #cleanedUp}; true if the command ended normally in time. */
    boolean awaitCleanup() throws InterruptedException {
        return cleanedUp.await(CLEANUP_SECONDS, TimeUnit.SECONDS) && succeeded;
    }

    /** The shutdown-hook signal. */
    private static final class Termination extends StopSignal {
        private final Thread hook = new Thread(this::onShutdown, "pulse-shutdown");
        private volatile boolean armed;

        @Override
        void arm() {
            Runtime.getRuntime().addShutdownHook(hook);
            armed = true;
        }

        private void onShutdown() {
            stop();
            boolean ok = false;
            try {
                ok = awaitCleanup();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(ok ? 0 : 1);
        }

        @Override
        void cleanedUp(boolean success) {
            super.cleanedUp(success);
            if (armed && !stopRequested()) {
                // the command ended for another reason (an error): let the JVM exit with its own status
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // too late: the hook runs and exits 0 after the cleanup
                }
            }
        }
    }
}
