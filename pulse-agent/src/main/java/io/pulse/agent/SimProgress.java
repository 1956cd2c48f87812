package io.pulse.agent;

import io.pulse.transport.sim.Runner;
import java.io.PrintWriter;
import java.io.Writer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of {@code pulse sim}, on standard error, in virtual seconds. It appears only once a run has
 * taken more than {@link #SHOW_AFTER_NS} of wall time, so that short runs print nothing but their result.
 */
final class SimProgress implements Runner.Progress, AutoCloseable {

    /** Wall time before the bar appears: 2 s. */
    static final long SHOW_AFTER_NS = 2_000_000_000L;

    private final boolean enabled;
    private final PrintWriter err;
    private final long startNs = System.nanoTime();
    private ProgressBar bar;

    SimProgress(boolean enabled, PrintWriter err) {
        this.enabled = enabled;
        this.err = err;
    }

    @Override
    public void update(long virtualNs, long totalNs, long events) {
        if (!enabled) {
            return;
        }
        if (bar == null) {
            if (System.nanoTime() - startNs < SHOW_AFTER_NS || virtualNs >= totalNs) {
                return;
            }
            bar = new ProgressBarBuilder()
                    .setTaskName("pulse sim")
                    .setInitialMax(totalNs / 1_000_000_000L)
                    .setUnit(" virtual s", 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(new java.io.PrintStream(
                            new WriterStream(err), true, java.nio.charset.StandardCharsets.UTF_8)))
                    .continuousUpdate()
                    .build();
        }
        bar.stepTo(virtualNs / 1_000_000_000L);
        bar.setExtraMessage(String.format(java.util.Locale.ROOT, "%,d events", events));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** Bytes to the command's error writer (so tests that capture it see the bar too). */
    private static final class WriterStream extends java.io.OutputStream {
        private final Writer w;

        WriterStream(Writer w) {
            this.w = w;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            w.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() throws java.io.IOException {
            w.flush();
        }
    }
}
