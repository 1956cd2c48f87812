package io.pulse.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse status}: asks a running agent's HTTP API for its members and prints them. */
@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Ask a running node's HTTP API what it knows of its members.",
        description = {"Asks a running agent, pulser or coordinator (started with --http) what it knows of every "
                + "member (GET /status/all) and prints a table: id, state, incarnation, smoothed round-trip time, "
                + "and how long ago it was last heard from. With --json, prints the API's JSON as is."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./pulse status --http 127.0.0.1:8080",
            "  ./pulse status --http :8080 --json | jq '.[] | select(.state != \"ALIVE\")'",
            "  ./pulse status --http 10.0.0.7:8080 --http-token-file ~/.pulse-token",
            "",
            "Exit status: 0 if the agent answered, 1 if it could not be reached or refused, 2 for a bad flag."})
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--http", paramLabel = "HOST:PORT", required = true, converter = HostPort.HttpConverter.class,
            description = "The agent's HTTP API address, as given to its --http (':PORT' or 'PORT' means "
                    + "127.0.0.1).")
    HostPort http;

    @Option(names = "--json", description = "Print the JSON array of GET /status/all instead of a table.")
    boolean json;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "Send the bearer token in FILE, for an agent started with --http-token-file.")
    Path tokenFile;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long to wait for the agent (default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** No instance state beyond picocli's fields. */
    public StatusCommand() {
    }

    @Override
    public Integer call() {
        String token = token();
        try {
            return show(fetch(token));
        } catch (UserException e) {
            return CliErrors.userError(spec, e);
        }
    }

    private int show(String body) {
        PrintWriter out = spec.commandLine().getOut();
        List<Object> members;
        try {
            members = Json.readList(body);
        } catch (IOException e) {
            throw new UserException(http + " did not answer with pulse status JSON: " + e.getMessage());
        }
        if (json) {
            out.println(Json.writePretty(members));
        } else {
            out.print(table(members, Instant.now()));
        }
        out.flush();
        return 0;
    }

    private String token() {
        if (tokenFile == null) {
            return null;
        }
        try {
            String t = Files.readString(tokenFile).strip();
            if (t.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--http-token-file: " + tokenFile + " is empty");
            }
            return t;
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--http-token-file: no such file: " + tokenFile);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--http-token-file: cannot read " + tokenFile + ": " + e.getMessage());
        }
    }

    private String fetch(String token) {
        URI uri = URI.create("http://" + http + "/status/all");
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException("cannot reach the agent at " + http + ": " + e.getMessage());
        }
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        c.setConnectTimeout(ms);
        c.setReadTimeout(ms);
        c.setRequestProperty("Accept", "application/json");
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        try {
            int code = c.getResponseCode();
            if (code == 401) {
                throw new UserException("the agent at " + http + " refused the request: "
                        + (token == null ? "it requires a token; pass --http-token-file" : "wrong token"));
            }
            if (code != 200) {
                throw new UserException("the agent at " + http + " answered HTTP " + code + ": "
                        + read(c.getErrorStream()).strip());
            }
            return read(c.getInputStream());
        } catch (ConnectException e) {
            throw new UserException("cannot reach the agent at " + http + ": connection refused (is "
                    + "'pulse agent --http " + http + "' running?)");
        } catch (SocketTimeoutException e) {
            throw new UserException("the agent at " + http + " did not answer within "
                    + DurationConverter.format(timeout));
        } catch (IOException e) {
            throw new UserException("cannot reach the agent at " + http + ": " + e.getMessage());
        } finally {
            c.disconnect();
        }
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readNBytes(4 * 1024 * 1024), StandardCharsets.UTF_8);
        }
    }

    /** The members as an aligned table, one per line, with a header. */
    static String table(List<Object> members, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "INC", "RTT", "RTT P99", "LAST CONTACT"});
        for (Object o : members) {
            if (!(o instanceof Map<?, ?> m)) {
                continue;
            }
            rows.add(new String[] {
                String.valueOf(m.get("id")),
                String.valueOf(m.get("state")),
                String.valueOf(m.get("incarnation")),
                millis(m.get("rttMs")),
                millis(m.get("rttP99Ms")),
                ago(m.get("lastContact"), now)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", r[i]));
            }
            sb.append('\n');
        }
        if (rows.size() == 1) {
            sb.append("(no members known)\n");
        }
        return sb.toString();
    }

    private static String millis(Object v) {
        if (!(v instanceof Number n)) {
            return "-";
        }
        double ms = n.doubleValue();
        return ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String ago(Object v, Instant now) {
        if (!(v instanceof String s)) {
            return "never";
        }
        try {
            Instant at = Instant.parse(s);
            Duration d = Duration.between(at, now);
            if (d.isNegative()) {
                d = Duration.ZERO;
            }
            String rel = d.toMillis() < 60_000 ? String.format(Locale.ROOT, "%.1fs ago", d.toMillis() / 1000.0)
                    : d.toMinutes() < 120 ? d.toMinutes() + "m ago" : d.toHours() + "h ago";
            return rel + " (" + s + ")";
        } catch (DateTimeParseException e) {
            return s;
        }
    }
}
