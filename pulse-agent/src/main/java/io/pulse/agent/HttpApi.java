package io.pulse.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pulse.api.Identifier;
import io.pulse.api.State;
import io.pulse.api.Status;
import io.pulse.engine.PulseNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's HTTP API on the JDK's {@link HttpServer}: the Go package's {@code /status/all} and
 * {@code /status/{id}}, plus {@code /health} and {@code /metrics}. Every route and field is described in
 * {@code docs/http-api.md}.
 *
 * <p>One root handler routes every request, so that an unknown path, a bad identifier, a wrong method and a wrong
 * token all get a JSON error ({@code {"error": "..."}}) with the right status: 400, 404, 405, 401. {@code HEAD} is
 * answered as {@code GET} without a body. With a token,
 * every route requires {@code Authorization: Bearer <token>}, compared in constant time.
 *
 * <p><b>Threads.</b> Two daemon threads ({@code pulse-http-<port>-N}) serve requests; each answer asks the node,
 * whose calls are thread-safe. {@link #close()} stops the server and its threads.
 */
final class HttpApi implements AutoCloseable {

    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String STATUS_PREFIX = "/status/";

    private final PulseNode node;
    private final byte[] token;
    private final PulseMetrics metrics;
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean stopping;

    private HttpApi(PulseNode node, HttpServer server, ExecutorService executor, Optional<String> token) {
        this.node = node;
        this.server = server;
        this.executor = executor;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.metrics = new PulseMetrics(node.localAddress().toString(), node.role().name(), node::counters,
                node::statusAll);
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @throws UserException if the address is in use or not an address of this host
     */
    static HttpApi start(PulseNode node, InetSocketAddress address, Optional<String> token) {
        // The JDK server reads a request's headers on an executor thread and, by default, waits forever: a few
        // clients that send half a request would hold every thread. Give a request 5 s to arrive (read by the
        // server's configuration when its classes load, so set before the first server is created) and keep
        // more threads than a handful of slow clients can hold at once.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "5");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (BindException e) {
            throw new UserException("cannot listen for HTTP on " + text(address) + ": " + e.getMessage()
                    + " (is another agent running there? choose another --http port)");
        } catch (IOException e) {
            throw new UserException("cannot listen for HTTP on " + text(address) + ": " + e.getMessage());
        }
        int port = server.getAddress().getPort();
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "pulse-http-" + port + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpApi api = new HttpApi(node, server, executor, token);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    /** The address the server listens on (the real port when 0 was asked for). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** The base URL, such as {@code http://127.0.0.1:8080}. */
    String url() {
        return "http://" + text(address());
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** From now on, {@code /health} answers 503: the node is leaving. */
    void markStopping() {
        stopping = true;
    }

    @Override
    public void close() {
        stopping = true;
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------ routing

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"pulse\"");
                sendJson(exchange, 401, Json.error("missing or wrong bearer token"));
                return;
            }
            URI uri = exchange.getRequestURI();
            String path = uri.getPath() == null ? "" : uri.getPath();
            boolean known = path.equals("/health") || path.equals("/metrics")
                    || (path.startsWith(STATUS_PREFIX) && path.length() > STATUS_PREFIX.length());
            if (!known) {
                sendJson(exchange, 404, Json.error("no such route: " + path
                        + "; routes: GET /status/all, GET /status/{id}, GET /health, GET /metrics"));
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendJson(exchange, 405, Json.error("method " + method + " not allowed on " + path + "; use GET"));
                return;
            }
            route(exchange, path);
        } catch (IllegalStateException closed) {
            // the node closed while answering: the agent is shutting down
            try {
                sendJson(exchange, 503, Json.error("the node is shutting down"));
            } catch (IOException | RuntimeException ignored) {
                // the client is gone or the headers were sent; nothing more to say
            }
        }
    }

    private void route(HttpExchange exchange, String path) throws IOException {
        switch (path) {
            case "/health" -> health(exchange);
            case "/metrics" -> send(exchange, 200, PulseMetrics.CONTENT_TYPE,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8));
            case "/status/all" -> {
                List<Object> all = new ArrayList<>();
                for (Status s : node.statusAll()) {
                    all.add(Json.status(s));
                }
                sendJson(exchange, 200, all);
            }
            default -> one(exchange, path.substring(STATUS_PREFIX.length()));
        }
    }

    private void one(HttpExchange exchange, String idText) throws IOException {
        Identifier id;
        try {
            id = Identifier.parse(idText);
        } catch (IllegalArgumentException e) {
            sendJson(exchange, 400, Json.error(e.getMessage()
                    + " (URL-encode an IPv6 identifier: /status/%5B%3A%3A1%5D%3A7946)"));
            return;
        }
        Optional<Status> s = node.status(id);
        if (s.isEmpty()) {
            sendJson(exchange, 404, Json.error("unknown member " + id));
            return;
        }
        sendJson(exchange, 200, Json.status(s.get()));
    }

    private void health(HttpExchange exchange) throws IOException {
        State state = node.selfState();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", node.localAddress().toString());
        m.put("state", state.name());
        m.put("incarnation", node.incarnation());
        m.put("role", node.role().name());
        m.put("members", node.members().size());
        boolean healthy = state == State.ALIVE && !stopping;
        sendJson(exchange, healthy ? 200 : 503, m);
    }

    private boolean authorized(HttpExchange exchange) {
        if (token == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private static void sendJson(HttpExchange exchange, int code, Object body) throws IOException {
        send(exchange, code, JSON_TYPE, (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(code, -1); // the headers GET would send, no body
            return;
        }
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
