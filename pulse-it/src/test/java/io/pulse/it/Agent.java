package io.pulse.it;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code pulse agent} OS process: started with the test JVM's {@code java} on the module path
 * ({@code -m io.pulse.agent/io.pulse.agent.Main agent ...}), its standard output and error captured to files, its
 * HTTP API and event log read by the tests.
 *
 * <p>{@link #restart()} starts the same command again (same address, same flags) and keeps the logs of every
 * generation, so that counts over the event log cover the whole test.
 */
final class Agent {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern METRIC_LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");

    final String name;
    final String host;
    final int port;
    /** The HTTP API port, or -1 without one. */
    final int httpPort;
    private final List<String> prefix;
    private final List<String> args;
    private final List<String> laterArgs = new ArrayList<>();
    private final Path dir;
    private final List<Path> outLogs = new ArrayList<>();
    private final List<Path> errLogs = new ArrayList<>();
    private Process process;

    Agent(String name, String host, int port, int httpPort, List<String> prefix, List<String> args, Path dir) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.httpPort = httpPort;
        this.prefix = List.copyOf(prefix);
        this.args = List.copyOf(args);
        this.dir = dir;
    }

    /** The identifier peers know this agent by: {@code host:port}. */
    String id() {
        return host + ":" + port;
    }

    /** The whole command line. */
    List<String> command() {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Processes.java());
        cmd.addAll(Processes.AGENT_JVM_OPTIONS);
        cmd.add("-p");
        cmd.add(Processes.lib().toString());
        cmd.add("-m");
        cmd.add("io.pulse.agent/io.pulse.agent.Main");
        cmd.add("agent");
        cmd.addAll(args);
        cmd.addAll(laterArgs);
        return cmd;
    }

    /** Starts the process (again, after {@link #restart()}). */
    synchronized Agent start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        int gen = outLogs.size() + 1;
        Path out = dir.resolve(name + "." + gen + ".out");
        Path err = dir.resolve(name + "." + gen + ".err");
        outLogs.add(out);
        errLogs.add(err);
        ProcessBuilder pb = new ProcessBuilder(command())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Files.writeString(dir.resolve(name + "." + gen + ".cmd"), String.join(" ", command()) + "\n");
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command()), e);
        }
        return this;
    }

    /** Starts the same command once more, on the same address, after the previous process ended. */
    Agent restart() {
        return start();
    }

    /**
     * Starts the same command once more with these flags added (for this and later generations), such as a
     * {@code --join} for a first node that later restarts into a running cluster.
     */
    synchronized Agent restartWith(String... more) {
        laterArgs.addAll(List.of(more));
        return start();
    }

    synchronized Process process() {
        return process;
    }

    long pid() {
        return process().pid();
    }

    boolean alive() {
        Process p = process();
        return p != null && p.isAlive();
    }

    // ------------------------------------------------------------------------------------------------ signals

    /** SIGKILL, then waits for the process to be gone. */
    void kill9() {
        Process p = process();
        p.destroyForcibly();
        waitFor(p, 30);
    }

    /** SIGTERM (a graceful stop) and the exit status, waiting up to {@code seconds}. */
    int terminate(int seconds) {
        Process p = process();
        p.destroy();
        if (!waitFor(p, seconds)) {
            throw new AssertionError(name + " did not exit within " + seconds + " s of SIGTERM");
        }
        return p.exitValue();
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}, {@code HUP}) with {@code kill}. */
    void signal(String sig) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).redirectErrorStream(true).start();
            String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!k.waitFor(30, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new AssertionError("kill -" + sig + " " + pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Ends the process whatever its state: CONT (in case it is stopped), TERM, then KILL. */
    void destroy() {
        Process p = process();
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): destroy below still works
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroy();
        if (!waitFor(p, 10)) {
            p.destroyForcibly();
            waitFor(p, 10);
        }
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------------ logs

    /** Every line the agent wrote on standard output, over all its generations. */
    List<String> outLines() {
        List<String> all = new ArrayList<>();
        for (Path f : outLogs) {
            all.addAll(read(f));
        }
        return all;
    }

    /**
     * Event log lines ({@code <instant> <event> <member> inc=<n> ...}) with this event word about this member,
     * over all generations.
     */
    List<String> events(String word, String member) {
        String needle = " " + word + " " + member + " ";
        return outLines().stream().filter(l -> l.contains(needle)).toList();
    }

    /** The logs of every generation, for a failure report. */
    String logs(int tailLines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < outLogs.size(); i++) {
            for (Path f : List.of(outLogs.get(i), errLogs.get(i))) {
                List<String> lines = read(f);
                b.append("----- ").append(f).append(" (").append(lines.size()).append(" lines")
                        .append(lines.size() > tailLines ? ", last " + tailLines : "").append(")\n");
                for (String l : lines.subList(Math.max(0, lines.size() - tailLines), lines.size())) {
                    b.append(l).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static List<String> read(Path f) {
        try {
            return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of("(unreadable: " + e + ")");
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    /** The base URL of the HTTP API. */
    String url() {
        if (httpPort < 0) {
            throw new IllegalStateException(name + " has no HTTP API");
        }
        return "http://" + host + ":" + httpPort;
    }

    /** GET {@code path}; the status and body. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).GET()
                .build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code /status/all} by member id: each member's JSON object. */
    Map<String, Map<String, Object>> statusAll() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/status/all");
        if (r.statusCode() != 200) {
            throw new IOException(name + ": /status/all answered " + r.statusCode() + ": " + r.body());
        }
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Object o : JSON.std.listFrom(r.body())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            byId.put((String) m.get("id"), m);
        }
        return byId;
    }

    /** {@code /health} as a JSON object, whatever its status code. */
    Map<String, Object> health() throws IOException, InterruptedException {
        return JSON.std.mapFrom(get("/health").body());
    }

    /** Whether {@code /health} answers 200. */
    boolean healthy() {
        try {
            return get("/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code /metrics} as series name with labels → value, such as {@code pulse_deaths_total} → 1.0. */
    Map<String, Double> metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new IOException(name + ": /metrics answered " + r.statusCode());
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher x = METRIC_LINE.matcher(line.strip());
            if (!line.startsWith("#") && x.matches()) {
                m.put(x.group(1) + (x.group(2) == null ? "" : x.group(2)), Double.parseDouble(x.group(3)));
            }
        }
        return m;
    }

    /** The value of one series, 0 if absent. */
    double metric(String series) throws IOException, InterruptedException {
        return metrics().getOrDefault(series, 0.0);
    }

    @Override
    public String toString() {
        return name + "(" + id() + (alive() ? ", pid " + pid() : ", not running") + ")";
    }
}
