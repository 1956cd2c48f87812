package io.pulse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the processes under test come from: the JVM running the tests, and the module path that Maven copied into
 * {@code target/it-lib} (pulse-agent and its runtime dependencies), and where their logs go.
 */
final class Processes {

    private Processes() {
    }

    /** The {@code java} launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The module path directory: pulse-agent and its runtime dependencies, copied by Maven. */
    static Path lib() {
        String p = System.getProperty("pulse.it.lib");
        if (p == null) {
            p = "target/it-lib";
        }
        Path lib = Path.of(p).toAbsolutePath();
        if (!Files.isDirectory(lib) || jars(lib).isEmpty()) {
            throw new IllegalStateException(lib + " holds no jars: run the tests with 'mvn verify' (the "
                    + "maven-dependency-plugin copies pulse-agent and its dependencies there first)");
        }
        return lib;
    }

    /** The jars in the module path directory, sorted. */
    static List<Path> jars(Path lib) {
        try (Stream<Path> s = Files.list(lib)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh directory for one test's logs and files: {@code target/it-work/<class>/<test>}. */
    static Path workDir(String testClass, String test) {
        String base = System.getProperty("pulse.it.work", "target/it-work");
        Path dir = Path.of(base, testClass, test).toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * JVM options for every agent: small and quick to start, because a 2-core machine runs several at once next
     * to the test JVM.
     */
    static final List<String> AGENT_JVM_OPTIONS = List.of("-Xmx96m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");
}
