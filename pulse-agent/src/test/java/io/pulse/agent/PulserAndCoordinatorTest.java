package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import io.pulse.api.State;
import org.junit.jupiter.api.Test;

/** {@code pulse pulser} and {@code pulse coordinator}: the Go package's two roles, and their user errors. */
class PulserAndCoordinatorTest {

    @Test
    void aCoordinatorSeesItsPulserAliveThenDeclaresItDeadWhenItStops() throws Exception {
        try (Cli.Background pulser = new Cli.Background(new PulserCommand(), "--bind", "127.0.0.1:0",
                "--preset", "local").awaitRunning()) {
            Identifier p = pulser.command.node().localAddress();
            Cli.await("the pulser says it answers", () -> pulser.out.text().contains("answering pulses on " + p));
            coordinate(pulser, p);
        }
    }

    private static void coordinate(Cli.Background pulser, Identifier p) throws Exception {
        try (Cli.Background coord = new Cli.Background(new CoordinatorCommand(), "--monitor", p.toString(),
                "--max-retry", "1", "--delay", "100ms", "--preset", "local").awaitRunning()) {
            Cli.await("the coordinator says what it monitors",
                    () -> coord.out.text().contains("monitoring 1 member every 100ms, 1 retries"));
            Cli.await("the coordinator hears the pulser", () -> coord.command.node().status(p)
                    .map(s -> s.state() == State.ALIVE && s.rtt().isPresent()).orElse(false));
            assertEquals(0, pulser.stop(), pulser.err.text());
            Cli.await("the coordinator declares the pulser dead", () -> coord.out.text().contains(" dead " + p));
            assertEquals(State.DEAD, coord.command.node().status(p).orElseThrow().state());
            assertEquals(0, coord.stop());
            assertTrue(coord.err.text().isEmpty(), coord.err.text());
        }
    }

    @Test
    void coordinatorNeedsMonitor() {
        Cli.Result r = Cli.run(new CoordinatorCommand());
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--monitor"), r.err());
    }

    @Test
    void maxRetryOutOfRangeExits2() {
        Cli.Result r = Cli.run(new CoordinatorCommand(), "--monitor", "127.0.0.1:9", "--max-retry", "300");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--max-retry") && r.err().contains("[0, 255]"), r.err());
        Cli.Result nan = Cli.run(new CoordinatorCommand(), "--monitor", "127.0.0.1:9", "--max-retry", "many");
        assertEquals(2, nan.exit(), nan.toString());
        assertTrue(nan.err().contains("--max-retry"), nan.err());
    }

    @Test
    void aBadDelayExits2() {
        Cli.Result r = Cli.run(new CoordinatorCommand(), "--monitor", "127.0.0.1:9", "--delay", "soon");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--delay") && r.err().contains("500ms"), r.err());
    }

    @Test
    void aBadMonitorAddressExits2() {
        Cli.Result r = Cli.run(new CoordinatorCommand(), "--monitor", "10.0.0.1");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--monitor") && r.err().contains("HOST:PORT"), r.err());
    }

    @Test
    void aPulserOnAPortInUseExits1() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0,
                java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run(new PulserCommand(), "--bind", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(1, r.exit(), r.toString());
            assertEquals(1, r.errLines(), r.toString());
            assertTrue(r.err().contains("cannot bind"), r.err());
        }
    }

    @Test
    void helpNamesTheGoPackageFlags() {
        Cli.Result p = Cli.run(new PulserCommand(), "--help");
        assertEquals(0, p.exit());
        assertTrue(p.out().contains("-pulser") && p.out().contains("-port") && p.out().contains("-api")
                && p.out().contains("Examples:"), p.out());
        Cli.Result c = Cli.run(new CoordinatorCommand(), "--help");
        assertEquals(0, c.exit());
        assertTrue(c.out().contains("-coord") && c.out().contains("-port") && c.out().contains("-api")
                && c.out().contains("Examples:"), c.out());
    }
}
