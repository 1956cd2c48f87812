package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.api.Identifier;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the HTTP API, over real HTTP against a running two-agent cluster. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiTest {

    private static final Set<String> STATUS_FIELDS = Set.of("id", "state", "incarnation", "rttMs", "rttP99Ms",
            "lastContact", "firstContact", "metadata");

    @TempDir
    Path dir;

    private Cli.Background a;
    private Cli.Background b;
    private String base;
    private Identifier aId;
    private Identifier bId;

    @BeforeAll
    void cluster() throws Exception {
        a = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0",
                "--preset", "local", "--name", "a").awaitRunning();
        aId = a.command.node().localAddress();
        b = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0", "--join", aId.toString(),
                "--preset", "local").awaitRunning();
        bId = b.command.node().localAddress();
        InetSocketAddress http = a.command.api().orElseThrow().address();
        base = "http://127.0.0.1:" + http.getPort();
        Cli.await("a has measured a round trip to b", () -> a.command.node().status(bId)
                .map(s -> s.rtt().isPresent()).orElse(false));
    }

    @AfterAll
    void stop() throws Exception {
        b.close();
        a.close();
    }

    private Http.Response get(String path) throws Exception {
        return Http.get(base + path);
    }

    private static void assertJson(Http.Response r) {
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.headers().toString());
    }

    private static String error(Http.Response r) throws Exception {
        assertJson(r);
        Map<String, Object> m = Json.readMap(r.body());
        assertEquals(Set.of("error"), m.keySet(), r.body());
        return (String) m.get("error");
    }

    @Test
    void statusAllListsEveryMemberWithEveryField() throws Exception {
        Http.Response r = get("/status/all");
        assertEquals(200, r.statusCode(), r.body());
        assertJson(r);
        List<Object> all = Json.readList(r.body());
        assertEquals(2, all.size(), r.body());
        for (Object o : all) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            assertEquals(STATUS_FIELDS, m.keySet(), r.body());
            assertEquals("ALIVE", m.get("state"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> self = (Map<String, Object>) all.stream()
                .filter(o -> ((Map<?, ?>) o).get("id").equals(aId.toString())).findFirst().orElseThrow();
        assertNull(self.get("rttMs"), "no round trip to itself: " + self);
        assertEquals("name=a", self.get("metadata"));
    }

    @Test
    void statusOfOneMember() throws Exception {
        Http.Response r = get("/status/" + bId);
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> m = Json.readMap(r.body());
        assertEquals(STATUS_FIELDS, m.keySet());
        assertEquals(bId.toString(), m.get("id"));
        assertTrue(((Number) m.get("rttMs")).doubleValue() > 0, r.body());
        assertTrue(java.time.Instant.parse((String) m.get("lastContact")).isAfter(
                java.time.Instant.parse((String) m.get("firstContact")).minusSeconds(1)), r.body());
        assertTrue(m.get("incarnation") instanceof Number, r.body());
    }

    @Test
    void anUnknownMemberIs404AndABadIdIs400() throws Exception {
        Http.Response unknown = get("/status/10.9.8.7:65000");
        assertEquals(404, unknown.statusCode());
        assertTrue(error(unknown).contains("unknown member 10.9.8.7:65000"), unknown.body());
        Http.Response v6 = get("/status/%5B%3A%3A1%5D%3A7946");
        assertEquals(404, v6.statusCode(), v6.body());
        assertTrue(error(v6).contains("[::1]:7946"), "the encoded IPv6 id is decoded: " + v6.body());
        for (String bad : List.of("/status/nonsense", "/status/1.2.3.4", "/status/1.2.3.4:99999",
                "/status/host.example:80")) {
            Http.Response r = get(bad);
            assertEquals(400, r.statusCode(), bad + " -> " + r.body());
            assertTrue(error(r).contains("invalid identifier"), r.body());
        }
    }

    @Test
    void healthTellsTheNodesOwnStateAndIncarnation() throws Exception {
        Http.Response r = get("/health");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> m = Json.readMap(r.body());
        assertEquals(aId.toString(), m.get("id"));
        assertEquals("ALIVE", m.get("state"));
        assertTrue(m.get("incarnation") instanceof Number);
    }

    @Test
    void metricsAreThePrometheusTextFormat() throws Exception {
        Http.Response r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.header("Content-Type").startsWith("text/plain; version=0.0.4"),
                r.headers().toString());
        String text = r.body();
        assertTrue(text.contains("pulse_members{state=\"alive\"} 2.0"), text);
        assertTrue(text.contains("# TYPE pulse_probes_sent_total counter"), text);
        assertTrue(text.contains("pulse_dropped_datagrams_total{layer=\"transport\",reason=\"badMagic\"}"), text);
        assertTrue(text.contains("pulse_member_rtt_seconds{member=\"" + bId + "\"}"), text);
        assertTrue(text.contains("pulse_node_info{id=\"" + aId + "\",role=\"full\"} 1.0"), text);
        MetricsFormatTest.assertValidExposition(text);
    }

    @Test
    void wrongMethodsAre405() throws Exception {
        for (String path : List.of("/status/all", "/health", "/metrics", "/status/" + bId)) {
            Http.Response r = Http.request("POST", base + path, null);
            assertEquals(405, r.statusCode(), path);
            assertEquals("GET, HEAD", r.header("Allow"));
            assertTrue(error(r).contains("POST"), r.body());
            Http.Response del = Http.request("DELETE", base + path, null);
            assertEquals(405, del.statusCode(), path);
        }
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        Http.Response head = Http.request("HEAD", base + "/status/all", null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertTrue(head.header("Content-Type").startsWith("application/json"));
        assertEquals(404, Http.request("HEAD", base + "/status/10.9.8.7:1", null).statusCode());
    }

    @Test
    void healthIs503OnceTheNodeIsStoppingOrLeft() throws Exception {
        io.pulse.transport.udp.UdpTransport t = io.pulse.transport.udp.UdpTransport.builder()
                .bind(Identifier.parse("127.0.0.1:0")).open();
        try (io.pulse.engine.PulseNode node = io.pulse.engine.PulseNode.builder(t)
                .config(io.pulse.api.PulseConfig.local()).start();
             HttpApi api = HttpApi.start(node, new InetSocketAddress("127.0.0.1", 0), java.util.Optional.empty())) {
            assertEquals(200, Http.get(api.url() + "/health").statusCode());
            api.markStopping();
            Http.Response stopping = Http.get(api.url() + "/health");
            assertEquals(503, stopping.statusCode(), stopping.body());
            assertEquals("ALIVE", Json.readMap(stopping.body()).get("state"));
            node.leave(java.time.Duration.ofMillis(100));
            Http.Response left = Http.get(api.url() + "/health");
            assertEquals(503, left.statusCode(), left.body());
            assertEquals("LEFT", Json.readMap(left.body()).get("state"));
        }
    }

    @Test
    void unknownRoutesAre404() throws Exception {
        for (String path : List.of("/", "/status", "/status/", "/statusall", "/health/x", "/v1/status/all")) {
            Http.Response r = get(path);
            assertEquals(404, r.statusCode(), path + " -> " + r.body());
            assertTrue(error(r).contains("no such route"), r.body());
        }
    }

    @Test
    void aTokenIsRequiredOnEveryRouteWhenConfigured() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "  s3cret-token\n");
        try (Cli.Background c = new Cli.Background(new AgentCommand(), "--bind", "127.0.0.1:0",
                "--http", "127.0.0.1:0", "--http-token-file", token.toString(), "--preset", "local")
                .awaitRunning()) {
            String url = "http://127.0.0.1:" + c.command.api().orElseThrow().address().getPort();
            for (String path : List.of("/status/all", "/health", "/metrics", "/nope")) {
                Http.Response none = Http.request("GET", url + path, null);
                assertEquals(401, none.statusCode(), path);
                assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
                assertTrue(error(none).contains("token"));
                Http.Response wrong = Http.request("GET", url + path, "Bearer s3cret-tokeN");
                assertEquals(401, wrong.statusCode(), path);
                Http.Response basic = Http.request("GET", url + path, "Basic czNjcmV0LXRva2Vu");
                assertEquals(401, basic.statusCode(), path);
                Http.Response right = Http.request("GET", url + path, "Bearer s3cret-token");
                assertEquals(path.equals("/nope") ? 404 : 200, right.statusCode(), path + " " + right.body());
            }
        }
    }

    @Test
    void anIpv6MemberIsFoundByItsUrlEncodedId() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback on this machine");
        try (Cli.Background v6 = new Cli.Background(new AgentCommand(), "--bind", "[::1]:0",
                "--http", "127.0.0.1:0", "--preset", "local").awaitRunning()) {
            Identifier id = v6.command.node().localAddress();
            String url = "http://127.0.0.1:" + v6.command.api().orElseThrow().address().getPort();
            String encoded = java.net.URLEncoder.encode(id.toString(), java.nio.charset.StandardCharsets.UTF_8);
            Http.Response r = Http.get(url + "/status/" + encoded);
            assertEquals(200, r.statusCode(), encoded + " -> " + r.body());
            assertEquals(id.toString(), Json.readMap(r.body()).get("id"));
        }
    }

    private static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
