package io.pulse.transport.udp;

import io.pulse.spi.Transport;
import io.pulse.spi.TransportOptions;
import io.pulse.spi.TransportProvider;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The provider of the transport named {@code "udp"}: opens a {@link UdpTransport} from {@link TransportOptions}.
 *
 * <p>It reads these properties, and rejects any other key starting with {@code udp.} (keys without that prefix are
 * left to whoever else reads the options):
 * <ul>
 *   <li>{@code udp.maxDatagramBytes}: the largest datagram written, [512, 65507], default 1400;</li>
 *   <li>{@code udp.receiveBufferBytes}, {@code udp.sendBufferBytes}: socket buffer sizes, [1024, 1073741824],
 *       default the operating system's;</li>
 *   <li>{@code udp.keyFile}: the path of a keyring file ({@link Keyring} describes the format); absent, datagrams
 *       are plaintext;</li>
 *   <li>{@code udp.acceptPlaintext}: {@code true} or {@code false} (default), the migration flag of
 *       {@link UdpTransport.Builder#acceptPlaintext(boolean)};</li>
 *   <li>{@code udp.sealOutgoing}: {@code true} (default) or {@code false}, see
 *       {@link UdpTransport.Builder#sealOutgoing(boolean)}.</li>
 * </ul>
 * There is deliberately no property that holds a key: keys come from a file or from the API.
 */
public final class UdpTransportProvider implements TransportProvider {

    /** The provider's name. */
    public static final String NAME = "udp";

    static final String MAX_DATAGRAM_BYTES = "udp.maxDatagramBytes";
    static final String RECEIVE_BUFFER_BYTES = "udp.receiveBufferBytes";
    static final String SEND_BUFFER_BYTES = "udp.sendBufferBytes";
    static final String KEY_FILE = "udp.keyFile";
    static final String ACCEPT_PLAINTEXT = "udp.acceptPlaintext";
    static final String SEAL_OUTGOING = "udp.sealOutgoing";
    static final List<String> KEYS = List.of(ACCEPT_PLAINTEXT, KEY_FILE, MAX_DATAGRAM_BYTES, RECEIVE_BUFFER_BYTES,
            SEAL_OUTGOING, SEND_BUFFER_BYTES);

    /** Creates the provider; public and without arguments, as {@link java.util.ServiceLoader} requires. */
    public UdpTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if a {@code udp.} property is unknown or its value unusable (the message
     *                                  names the key and what it accepts), or the key file is unreadable or
     *                                  malformed (the message names the key, the file and the line)
     * @throws IOException              if the address cannot be bound; the message names the address
     */
    @Override
    public Transport open(TransportOptions options) throws IOException {
        return builder(options).open();
    }

    /** The builder the options describe, checked, not yet opened. */
    static UdpTransport.Builder builder(TransportOptions options) {
        UdpTransport.Builder b = UdpTransport.builder().bind(options.bind());
        Map<String, String> p = options.properties();
        for (String key : p.keySet()) {
            if (key.startsWith("udp.") && !KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown property " + key + "; the udp transport reads "
                        + String.join(", ", KEYS));
            }
        }
        boolean accept = bool(p, ACCEPT_PLAINTEXT, false);
        boolean seal = bool(p, SEAL_OUTGOING, true);
        b.acceptPlaintext(accept).sealOutgoing(seal);
        if (p.containsKey(MAX_DATAGRAM_BYTES)) {
            b.maxDatagramBytes(integer(p, MAX_DATAGRAM_BYTES, UdpTransport.MIN_DATAGRAM_BYTES,
                    UdpTransport.MAX_DATAGRAM_BYTES));
        }
        if (p.containsKey(RECEIVE_BUFFER_BYTES)) {
            b.receiveBufferBytes(integer(p, RECEIVE_BUFFER_BYTES, UdpTransport.MIN_SOCKET_BUFFER_BYTES,
                    UdpTransport.MAX_SOCKET_BUFFER_BYTES));
        }
        if (p.containsKey(SEND_BUFFER_BYTES)) {
            b.sendBufferBytes(integer(p, SEND_BUFFER_BYTES, UdpTransport.MIN_SOCKET_BUFFER_BYTES,
                    UdpTransport.MAX_SOCKET_BUFFER_BYTES));
        }
        String keyFile = p.get(KEY_FILE);
        if (keyFile != null) {
            b.keyring(keyring(keyFile));
            if (!seal && !accept) {
                throw new IllegalArgumentException(SEAL_OUTGOING + "=false requires " + ACCEPT_PLAINTEXT
                        + "=true: a node that sends plaintext must accept it");
            }
        }
        return b;
    }

    private static Keyring keyring(String keyFile) {
        Path path;
        try {
            path = Path.of(keyFile);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(KEY_FILE + ": \"" + keyFile + "\" is not a path: " + e.getMessage());
        }
        try {
            return Keyring.load(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(KEY_FILE + ": cannot read " + path + " (" + e + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY_FILE + ": " + e.getMessage(), e);
        }
    }

    private static boolean bool(Map<String, String> p, String key, boolean byDefault) {
        String v = p.get(key);
        if (v == null) {
            return byDefault;
        }
        switch (v.strip()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(key + " must be true or false, was \"" + v + "\"");
        }
    }

    private static int integer(Map<String, String> p, String key, int min, int max) {
        String v = p.get(key);
        long value;
        try {
            value = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer in [" + min + ", " + max + "], was \"" + v
                    + "\"");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], was " + value);
        }
        return (int) value;
    }
}
