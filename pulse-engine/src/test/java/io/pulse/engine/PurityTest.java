package io.pulse.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The engine is pure: the protocol never reads a clock, sleeps, starts a thread, touches the network or draws
 * unseeded randomness. Only the real-time runtime ({@link PulseNode}) may, because it is the driver.
 */
class PurityTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pulse.engine");

    private static final DescribedPredicate<JavaClass> THE_PROTOCOL = new DescribedPredicate<>(
            "the protocol (everything in io.pulse.engine but the PulseNode runtime)") {
        @Override
        public boolean test(JavaClass c) {
            return c.getPackageName().startsWith("io.pulse.engine")
                    && !c.getName().startsWith(PulseNode.class.getName());
        }
    };

    @Test
    void theProtocolReadsNoClock() {
        ArchRule rule = noClasses().that(THE_PROTOCOL)
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().dependOnClassesThat().belongToAnyOf(java.time.Clock.class, java.time.InstantSource.class)
                .because("time reaches the protocol as an argument (nowNs), so that the simulator owns it");
        rule.check(ENGINE);
    }

    @Test
    void theProtocolStartsNoThreadAndNeverSleeps() {
        ArchRule rule = noClasses().that(THE_PROTOCOL)
                .should().dependOnClassesThat().belongToAnyOf(Thread.class, java.util.concurrent.Executor.class,
                        java.util.concurrent.ExecutorService.class, java.util.Timer.class,
                        java.util.concurrent.locks.LockSupport.class)
                .orShould().dependOnClassesThat().resideInAPackage("java.util.concurrent..")
                .because("the driver owns the threads; the protocol is a state machine");
        rule.check(ENGINE);
    }

    @Test
    void theProtocolTouchesNoNetwork() {
        ArchRule rule = noClasses().that(THE_PROTOCOL)
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..")
                .because("datagrams come in and go out through the seam");
        rule.check(ENGINE);
    }

    @Test
    void theProtocolDrawsNoUnseededRandomness() {
        ArchRule rule = noClasses().that(THE_PROTOCOL)
                .should().dependOnClassesThat().belongToAnyOf(java.util.Random.class,
                        java.security.SecureRandom.class, java.util.concurrent.ThreadLocalRandom.class)
                .orShould().callMethod(Math.class, "random")
                .orShould().callConstructor(java.util.SplittableRandom.class)
                .because("randomness is injected: one seeded generator per node");
        rule.check(ENGINE);
    }

    @Test
    void theProtocolDependsOnNoTransport() {
        ArchRule rule = noClasses().that().resideInAPackage("io.pulse.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pulse.transport..", "io.pulse.agent..");
        rule.check(ENGINE);
    }
}
