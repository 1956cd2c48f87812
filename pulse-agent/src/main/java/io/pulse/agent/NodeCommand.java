package io.pulse.agent;

import io.pulse.api.Identifier;
import io.pulse.api.PulseConfig;
import io.pulse.engine.PulseNode;
import io.pulse.engine.Role;
import io.pulse.transport.udp.Keyring;
import io.pulse.transport.udp.UdpTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code agent}, {@code pulser} and {@code coordinator} share: the preset, the key file, the HTTP API, and a
 * life that runs until SIGTERM or SIGINT and then ends cleanly (a full node leaves the cluster first).
 *
 * <p>Each subclass says its role and bind address and what to do once the node runs ({@link #started}).
 */
abstract class NodeCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", paramLabel = "lan|wan|local", defaultValue = "lan",
            converter = Preset.Converter.class,
            description = "Protocol timings: lan (default: probe every 1 s), wan (every 5 s, patient), "
                    + "local (loopback and tests: impatient).")
    Preset preset;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "Seal every datagram with AES-GCM using the keys in FILE: one base64 key per line, the "
                    + "first one seals, all open (see docs/wire-format.md). Default: plaintext.")
    Path keyFile;

    @Option(names = "--http", paramLabel = "HOST:PORT", converter = HostPort.HttpConverter.class,
            description = "Serve the HTTP API (/status/all, /status/{id}, /health, /metrics) on HOST:PORT; "
                    + "':PORT' or 'PORT' means 127.0.0.1. Off unless given.")
    HostPort http;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer <token>' on every HTTP request, the token being FILE's "
                    + "content (surrounding blanks ignored).")
    Path httpTokenFile;

    /** How the command learns it should stop; tests replace it. */
    StopSignal stopSignal = StopSignal.onTermination();

    /** How long a full node spends gossiping its departure before it closes. */
    Duration leaveTimeout = Duration.ofSeconds(3);

    private volatile PulseNode node;
    private volatile HttpApi api;

    /** This command's role. */
    abstract Role role();

    /** The UDP address to bind. */
    abstract HostPort bind();

    /** Checks flag relations before anything is opened; throws {@link CommandLine.ParameterException}. */
    void validate(PulseConfig config) {
    }

    /** The configuration the node runs with. */
    PulseConfig config() {
        return preset.config();
    }

    /** Called once the node runs and the ready line is printed: join, add pulsers, log. */
    abstract void started(PulseNode node, PrintWriter out);

    /** The running node, once started (for tests). */
    PulseNode node() {
        return node;
    }

    /** The running HTTP API, if any (for tests). */
    Optional<HttpApi> api() {
        return Optional.ofNullable(api);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    @Override
    public final Integer call() throws Exception {
        PulseConfig config = config();
        validate(config);
        Optional<Keyring> keyring = keyring();
        Optional<String> token = token();
        boolean ok = false;
        try {
            Identifier bindId = bind().resolve();
            UdpTransport transport = open(bindId, keyring);
            PrintWriter out = out();
            node = PulseNode.builder(transport).config(config).role(role()).start();
            if (http != null) {
                api = HttpApi.start(node, http.toSocketAddress(), token);
            }
            stopSignal.arm();
            out.println("pulse " + spec.name() + " " + node.localAddress() + " running as " + role()
                    + " (preset " + preset.name().toLowerCase(java.util.Locale.ROOT)
                    + (keyring.isPresent() ? ", sealed" : ", plaintext") + ")"
                    + (api != null ? "; HTTP API on " + api.url() : "")
                    + "; stop with Ctrl-C or SIGTERM");
            if (isWildcard(node.localAddress())) {
                out.println("pulse " + spec.name() + ": warning: bound to the wildcard address " + node.localAddress()
                        + ", which is what peers will be told and cannot reach; bind a routable address instead");
            }
            out.flush();
            started(node, out);
            stopSignal.await();
            stop(out);
            ok = true;
            return 0;
        } catch (UserException e) {
            return CliErrors.userError(spec, e);
        } catch (RuntimeException | Error e) {
            if (stopSignal.stopRequested()) {
                // the shutdown hook ends the process as soon as we clean up: report it now, not after
                spec.commandLine().getErr().println(spec.qualifiedName() + ": failed while stopping: " + e);
                e.printStackTrace(spec.commandLine().getErr());
                spec.commandLine().getErr().flush();
            }
            throw e;
        } finally {
            closeQuietly();
            stopSignal.cleanedUp(ok);
        }
    }

    private void stop(PrintWriter out) {
        if (api != null) {
            api.markStopping();
        }
        if (role() == Role.FULL) {
            out.println("pulse " + spec.name() + " " + node.localAddress() + ": leaving the cluster");
            out.flush();
            try {
                node.leave(leaveTimeout);
            } catch (RuntimeException e) {
                out.println("pulse " + spec.name() + ": could not leave cleanly: " + e.getMessage());
            }
        }
        out.println("pulse " + spec.name() + " " + node.localAddress() + ": stopped");
        out.flush();
    }

    private void closeQuietly() {
        if (api != null) {
            api.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static boolean isWildcard(Identifier id) {
        for (int i = 0; i < id.addressLength(); i++) {
            if (id.addressByte(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static UdpTransport open(Identifier bind, Optional<Keyring> keyring) {
        UdpTransport.Builder b = UdpTransport.builder().bind(bind);
        keyring.ifPresent(b::keyring);
        try {
            return b.open();
        } catch (BindException e) {
            throw new UserException(e.getMessage() + " (is another pulse node running there? choose another "
                    + "--bind port)");
        } catch (IOException e) {
            throw new UserException(e.getMessage());
        }
    }

    private Optional<Keyring> keyring() {
        if (keyFile == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Keyring.load(keyFile));
        } catch (NoSuchFileException e) {
            throw usage("--key-file: no such file: " + keyFile);
        } catch (IOException e) {
            throw usage("--key-file: cannot read " + keyFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw usage("--key-file: " + e.getMessage());
        }
    }

    private Optional<String> token() {
        if (httpTokenFile == null) {
            return Optional.empty();
        }
        if (http == null) {
            throw usage("--http-token-file needs --http HOST:PORT: there is no HTTP API to protect");
        }
        String t;
        try {
            t = Files.readString(httpTokenFile).strip();
        } catch (NoSuchFileException e) {
            throw usage("--http-token-file: no such file: " + httpTokenFile);
        } catch (IOException e) {
            throw usage("--http-token-file: cannot read " + httpTokenFile + ": " + e.getMessage());
        }
        if (t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw usage("--http-token-file: " + httpTokenFile + " must hold one token of printable ASCII without "
                    + "blanks");
        }
        return Optional.of(t);
    }
}
