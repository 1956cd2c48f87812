package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PulseConfigTest {

    @Test
    void lanIsTheDefaultAndMatchesItsDocumentation() {
        PulseConfig lan = PulseConfig.lan();
        assertEquals(lan, PulseConfig.builder().build());
        assertEquals(1_000_000_000L, lan.probeIntervalNs());
        assertEquals(500_000_000L, lan.probeTimeoutNs());
        assertEquals(3, lan.indirectChecks());
        assertEquals(3, lan.suspicionMultiplier());
        assertEquals(6, lan.suspicionMaxTimeoutMultiplier());
        assertEquals(4, lan.retransmitMultiplier());
        assertEquals(0, lan.directMonitorThreshold()); // SWIM with Lifeguard: hybrid mode is opt-in
        assertEquals(0, PulseConfig.wan().directMonitorThreshold());
        assertEquals(0, PulseConfig.local().directMonitorThreshold());
        assertEquals(100, lan.toBuilder().hybridMonitoring().build().directMonitorThreshold());
        assertEquals(1400, lan.maxDatagramBytes());
        assertEquals(512, lan.metadataMaxBytes());
        assertTrue(lan.localHealth());
    }

    @Test
    void presetsDifferWhereDocumented() {
        assertEquals(5_000_000_000L, PulseConfig.wan().probeIntervalNs());
        assertEquals(3_000_000_000L, PulseConfig.wan().probeTimeoutNs());
        assertEquals(6, PulseConfig.wan().suspicionMultiplier());
        assertEquals(200_000_000L, PulseConfig.local().probeTimeoutNs());
        assertEquals(1, PulseConfig.local().indirectChecks());
        assertEquals(3, PulseConfig.local().suspicionMultiplier());
        assertEquals(4, PulseConfig.local().retransmitMultiplier(), "refutations must reach every member");
        assertNotEquals(PulseConfig.lan(), PulseConfig.local());
    }

    @Test
    void toBuilderRoundTrips() {
        for (PulseConfig c : new PulseConfig[] {PulseConfig.lan(), PulseConfig.wan(), PulseConfig.local()}) {
            assertEquals(c, c.toBuilder().build());
            assertEquals(c.toString(), c.toBuilder().build().toString());
        }
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("probeInterval", "[10ms, 60s]", b -> b.probeInterval(Duration.ofMillis(9))),
                bad("probeInterval", "[10ms, 60s]", b -> b.probeInterval(Duration.ofSeconds(61))),
                bad("probeTimeout", "below probeInterval", b -> b.probeTimeout(Duration.ofSeconds(1))),
                bad("probeTimeout", "[1ms, 30s]", b -> b.probeTimeout(Duration.ofNanos(999_999))),
                bad("probeTimeoutMin", "[100µs", b -> b.probeTimeoutMin(Duration.ofMillis(600))),
                bad("probeTimeoutMin", "[100µs", b -> b.probeTimeoutMin(Duration.ofNanos(99_999))),
                bad("probeTimeoutRttMultiplier", "[1, 100]", b -> b.probeTimeoutRttMultiplier(0.5)),
                bad("probeTimeoutRttMultiplier", "[1, 100]", b -> b.probeTimeoutRttMultiplier(Double.NaN)),
                bad("indirectChecks", "[0, 16]", b -> b.indirectChecks(-1)),
                bad("indirectChecks", "[0, 16]", b -> b.indirectChecks(17)),
                bad("suspicionMultiplier", "[1, 100]", b -> b.suspicionMultiplier(0)),
                bad("suspicionMaxTimeoutMultiplier", "[1, 100]", b -> b.suspicionMaxTimeoutMultiplier(101)),
                bad("retransmitMultiplier", "[1, 100]", b -> b.retransmitMultiplier(0)),
                bad("gossipInterval", "[1ms, 60s]", b -> b.gossipInterval(Duration.ZERO)),
                bad("gossipFanout", "[1, 64]", b -> b.gossipFanout(0)),
                bad("gossipToTheDead", "[0ns, 3600s]", b -> b.gossipToTheDead(Duration.ofHours(2))),
                bad("pushPullInterval", "[1s, 3600s]", b -> b.pushPullInterval(Duration.ofMillis(999))),
                bad("localHealthMax", "[1, 64]", b -> b.localHealthMax(0)),
                bad("maxDatagramBytes", "[512, 65507]", b -> b.maxDatagramBytes(511)),
                bad("maxDatagramBytes", "[512, 65507]", b -> b.maxDatagramBytes(65508)),
                bad("metadataMaxBytes", "[0, 4096]", b -> b.metadataMaxBytes(-1)),
                bad("metadataMaxBytes", "maxDatagramBytes - 128", b -> b.maxDatagramBytes(600)
                        .metadataMaxBytes(500)),
                bad("directMonitorThreshold", "[0, 100000]", b -> b.directMonitorThreshold(-1)),
                bad("directMonitorInterval", "[10ms, 60s]", b -> b.directMonitorInterval(Duration.ofMillis(1))),
                bad("directMonitorMaxRetry", "[0, 255]", b -> b.directMonitorMaxRetry(256)),
                bad("joinRetryInitial", "[10ms, 60s]", b -> b.joinRetryInitial(Duration.ofMillis(5))),
                bad("joinRetryMax", "joinRetryInitial", b -> b.joinRetryMax(Duration.ofMillis(100))),
                bad("deadMemberRetention", "gossipToTheDead", b -> b.deadMemberRetention(Duration.ofSeconds(1))),
                bad("failureFeedCapacity", "[1, 1000000]", b -> b.failureFeedCapacity(0)),
                bad("subscriberBufferEvents", "[1, 1000000]", b -> b.subscriberBufferEvents(1_000_001)),
                bad("maxMembers", "[2, 4194304]", b -> b.maxMembers(1)),
                bad("maxMembers", "[2, 4194304]", b -> b.maxMembers(4_194_305)),
                bad("joinTimeout", "[10ms, 86400s]", b -> b.joinTimeout(Duration.ofMillis(9))),
                bad("joinTimeout", "[10ms, 86400s]", b -> b.joinTimeout(Duration.ofHours(25))));
    }

    private static Arguments bad(String field, String range, UnaryOperator<PulseConfig.Builder> change) {
        return Arguments.of(field, range, change);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badValues")
    void buildNamesTheBadFieldAndItsRange(String field, String range, UnaryOperator<PulseConfig.Builder> change) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(PulseConfig.builder()).build());
        assertTrue(e.getMessage().startsWith(field + " must be"), e.getMessage());
        assertTrue(e.getMessage().contains(range), e.getMessage());
        assertTrue(e.getMessage().contains("was "), e.getMessage());
    }

    @Test
    void boundsThemselvesAreAccepted() {
        PulseConfig c = PulseConfig.builder()
                .probeInterval(Duration.ofMillis(10))
                .probeTimeout(Duration.ofMillis(1))
                .probeTimeoutMin(Duration.ofNanos(100_000))
                .indirectChecks(0)
                .suspicionMultiplier(100)
                .gossipToTheDead(Duration.ZERO)
                .maxDatagramBytes(65507)
                .metadataMaxBytes(4096)
                .directMonitorThreshold(0)
                .build();
        assertEquals(0, c.indirectChecks());
        assertEquals(0, c.directMonitorThreshold());
    }

    @Test
    void nullDurationIsRejectedByName() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> PulseConfig.builder().probeInterval(null));
        assertEquals("probeInterval", e.getMessage());
    }
}
