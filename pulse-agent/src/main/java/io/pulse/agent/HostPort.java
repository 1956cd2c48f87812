package io.pulse.agent;

import io.pulse.api.Identifier;
import java.net.InetSocketAddress;
import java.util.Locale;
import picocli.CommandLine;

/**
 * A {@code HOST:PORT} as typed on the command line, checked for shape only: {@code HOST} is an IPv4 literal, a
 * bracketed IPv6 literal or a host name; {@code PORT} is 0 to 65535. Names are resolved later, by
 * {@link #resolve()}, so that a name that does not resolve is a run-time failure (exit 1, "cannot resolve"), while a
 * malformed value is a usage error (exit 2).
 *
 * @param host the host as typed, without brackets
 * @param port 0 to 65535
 */
record HostPort(String host, int port) {

    /** What every {@code HOST:PORT} flag accepts, for messages. */
    static final String ACCEPTS = "expected HOST:PORT, e.g. 127.0.0.1:7946, [::1]:7946 or node-1.example:7946, "
            + "with a port in [0, 65535]";

    /** Parses {@code text}; {@code defaultHost}, if not null, is used for {@code ":PORT"} and {@code "PORT"}. */
    static HostPort parse(String text, String defaultHost) {
        String t = text.strip();
        if (defaultHost != null && !t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            t = ":" + t;
        }
        if (defaultHost != null && t.startsWith(":")) {
            t = (defaultHost.indexOf(':') >= 0 ? "[" + defaultHost + "]" : defaultHost) + t;
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "': " + ACCEPTS);
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("'" + text + "': " + ACCEPTS);
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "': an IPv6 address needs brackets, as [::1]:7946");
        }
        if (!validHost(host)) {
            throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IP address or host name; "
                    + ACCEPTS);
        }
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)
                || Integer.parseInt(portText) > 65535) {
            throw new IllegalArgumentException("'" + text + "': port '" + portText + "' is not a number in [0, 65535]");
        }
        return new HostPort(host, Integer.parseInt(portText));
    }

    private static boolean validHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The address as an identifier, resolving a host name once. */
    Identifier resolve() {
        try {
            return Identifier.resolve(toString());
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage().toLowerCase(Locale.ROOT).startsWith("cannot resolve")
                    ? e.getMessage() : "bad address " + this + ": " + e.getMessage());
        }
    }

    /** The address as a socket address, resolving a host name once. */
    InetSocketAddress toSocketAddress() {
        return resolve().toSocketAddress();
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** picocli: a UDP address flag ({@code --bind}, {@code --join}, {@code --monitor}); the host is required. */
    static final class Converter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return parse(value, null);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli: an HTTP listen address ({@code --http}); {@code :PORT} or {@code PORT} means 127.0.0.1. */
    static final class HttpConverter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return parse(value, "127.0.0.1");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
