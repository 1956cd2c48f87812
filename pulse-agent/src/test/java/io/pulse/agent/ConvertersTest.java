package io.pulse.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The flag value parsers ({@code HOST:PORT}, durations) and the help texts' examples. */
class ConvertersTest {

    @Test
    void hostPortsThatParse() {
        String[][] table = {
            {"127.0.0.1:7946", null, "127.0.0.1", "7946"},
            {"[::1]:0", null, "::1", "0"},
            {"node-1.example:65535", null, "node-1.example", "65535"},
            {":8080", "127.0.0.1", "127.0.0.1", "8080"},
            {"8080", "127.0.0.1", "127.0.0.1", "8080"},
            {"0.0.0.0:80", "127.0.0.1", "0.0.0.0", "80"},
        };
        for (String[] row : table) {
            HostPort hp = HostPort.parse(row[0], row[1]);
            assertEquals(row[2], hp.host(), row[0]);
            assertEquals(Integer.parseInt(row[3]), hp.port(), row[0]);
        }
    }

    @Test
    void hostPortsThatDoNot() {
        for (String bad : new String[] {"", "7946", ":7946", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
            "127.0.0.1:-1", "127.0.0.1:x", "::1:7946", "[::1:7946", "a b:1", "host/x:1", "[]:1"}) {
            assertThrows(IllegalArgumentException.class, () -> HostPort.parse(bad, null), bad);
        }
    }

    @Test
    void ipv4HostPortsRoundTrip() {
        qt().forAll(integers().between(0, 255), integers().between(0, 255), integers().between(0, 65535))
                .checkAssert((a, b, port) -> {
                    String text = "10." + a + "." + b + ".1:" + port;
                    HostPort hp = HostPort.parse(text, null);
                    assertEquals(text, hp.toString());
                    assertEquals(text, hp.resolve().toString());
                });
    }

    @Test
    void helpExamplesAreNotWrapped() {
        for (Object command : new Object[] {new DemoCommand(), new AgentCommand(), new PulserCommand(),
            new CoordinatorCommand(), new StatusCommand()}) {
            String[] footer = new picocli.CommandLine(command).getCommandSpec().usageMessage().footer();
            for (String line : footer) {
                if (line.startsWith("  ")) {
                    org.junit.jupiter.api.Assertions.assertTrue(line.length() <= 80,
                            "an example picocli would wrap: " + line);
                }
            }
        }
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofSeconds(2), DurationConverter.parse("2s"));
        assertEquals(Duration.ofSeconds(3), DurationConverter.parse("3"));
        assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
        assertEquals(Duration.ofMinutes(1), DurationConverter.parse("1m"));
        assertEquals(Duration.ofHours(2), DurationConverter.parse("2h"));
        assertEquals(Duration.ofNanos(250_000), DurationConverter.parse("250us"));
        for (String bad : new String[] {"", "ms", "soon", "1d", "-1s", "1..2s"}) {
            assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse(bad), bad);
        }
    }

    @Test
    void formattedDurationsParseBack() {
        qt().forAll(longs().between(1, 10_000_000)).checkAssert(ms -> {
            Duration d = Duration.ofMillis(ms);
            assertEquals(d, DurationConverter.parse(DurationConverter.format(d)));
        });
    }
}
