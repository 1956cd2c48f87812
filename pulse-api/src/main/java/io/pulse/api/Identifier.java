package io.pulse.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A member's address: an IP literal and a UDP port, written {@code "ipv4:port"} or {@code "[ipv6]:port"}.
 *
 * <p>This is the Go package's {@code Identifier}; {@link #of(String, int)} plays {@code AddrToIdentifier} and
 * {@link #host()} with {@link #port()} play {@code IdentifierToAddr}.
 *
 * <p><b>Literals only.</b> {@link #parse(String)} accepts IP literals and never touches DNS: an identifier is what
 * goes on the wire and into the member table, and resolving a name is blocking I/O that has no place in the
 * protocol. A host name such as {@code "node-1.example:7946"} is rejected with a message that says so; callers that
 * want names (the agent's {@code --join} flag, for instance) call {@link #resolve(String)}, which resolves the name
 * once, up front, with {@link InetAddress#getByName(String)}.
 *
 * <p><b>Canonical form.</b> IPv4 is dotted decimal without leading zeros; IPv6 follows RFC 5952 (lower case,
 * leading zeros dropped, the longest run of two or more zero groups written {@code ::}, the first such run on a tie),
 * always in brackets. {@code parse(id.toString()).equals(id)} holds for every identifier, and {@code toString()}
 * of a parsed identifier is its canonical form. Zone ids ({@code %eth0}) are not accepted. An IPv4-mapped IPv6
 * address stays an IPv6 identifier distinct from the IPv4 one.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Identifier implements Comparable<Identifier> {

    private static final String EXPECTED = "expected \"ipv4:port\" (e.g. \"10.0.0.7:7946\") "
            + "or \"[ipv6]:port\" (e.g. \"[::1]:7946\") with a port in [0, 65535]";

    private final byte[] address;
    private final int port;
    private final int hash;
    private String text;

    private Identifier(byte[] address, int port) {
        this.address = address;
        this.port = port;
        this.hash = 31 * Arrays.hashCode(address) + port;
    }

    /**
     * An identifier from raw address bytes.
     *
     * @param address 4 bytes (IPv4) or 16 bytes (IPv6), network order; copied
     * @param port    0 to 65535
     * @throws IllegalArgumentException if the address is not 4 or 16 bytes long or the port is out of range
     */
    public static Identifier of(byte[] address, int port) {
        Objects.requireNonNull(address, "address");
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must be 4 (IPv4) or 16 (IPv6) bytes, was " + address.length);
        }
        if (port < 0 || port > 65535) {
            checkPort(port, String.valueOf(port));
        }
        return new Identifier(address.clone(), port);
    }

    /**
     * An identifier from an IP literal and a port: the Go package's {@code AddrToIdentifier}.
     *
     * @param ipLiteral an IPv4 or IPv6 literal; IPv6 may be given with or without brackets
     * @param port      0 to 65535
     * @throws IllegalArgumentException if the literal is not an IP address or the port is out of range
     */
    public static Identifier of(String ipLiteral, int port) {
        Objects.requireNonNull(ipLiteral, "ipLiteral");
        String host = ipLiteral.startsWith("[") && ipLiteral.endsWith("]")
                ? ipLiteral.substring(1, ipLiteral.length() - 1) : ipLiteral;
        byte[] bytes = host.indexOf(':') >= 0 ? parseIpv6(host) : parseIpv4(host);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP literal: \"" + ipLiteral + "\"; " + EXPECTED);
        }
        if (port < 0 || port > 65535) {
            checkPort(port, ipLiteral + ":" + port);
        }
        return new Identifier(bytes, port);
    }

    /** An identifier for a socket address whose IP is already known; never resolves a name. */
    public static Identifier of(InetSocketAddress socketAddress) {
        Objects.requireNonNull(socketAddress, "socketAddress");
        InetAddress ip = socketAddress.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved socket address: " + socketAddress);
        }
        return new Identifier(ip.getAddress(), socketAddress.getPort());
    }

    /**
     * Parses {@code "ipv4:port"} or {@code "[ipv6]:port"}.
     *
     * @throws IllegalArgumentException quoting the input and saying what was expected, for anything else
     *                                  (empty text, a missing or out-of-range port, a malformed address, an IPv6
     *                                  address without brackets, a host name)
     */
    public static Identifier parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        int colon = text.lastIndexOf(':');
        String host;
        if (text.charAt(0) == '[') {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(text, "the '[' of the IPv6 address is never closed");
            }
            if (close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw invalid(text, "the port is missing after ']'");
            }
            host = text.substring(1, close);
            colon = close + 1;
            byte[] v6 = parseIpv6(host);
            if (v6 == null) {
                throw invalid(text, "\"" + host + "\" is not an IPv6 address");
            }
            return new Identifier(v6, parsePort(text, colon));
        }
        if (colon < 0) {
            throw invalid(text, "the port is missing");
        }
        if (text.indexOf(':') != colon) {
            throw invalid(text, "an IPv6 address must be written in brackets, as \"[::1]:7946\"");
        }
        host = text.substring(0, colon);
        byte[] v4 = parseIpv4(host);
        if (v4 == null) {
            if (looksLikeName(host)) {
                throw invalid(text, "\"" + host + "\" is a host name, not an IP literal; "
                        + "resolve it with Identifier.resolve");
            }
            throw invalid(text, "\"" + host + "\" is not an IPv4 address");
        }
        return new Identifier(v4, parsePort(text, colon));
    }

    /**
     * Like {@link #parse(String)}, but a host name is resolved (once, blocking) with
     * {@link InetAddress#getByName(String)}. Meant for configuration and command lines, never for the protocol.
     *
     * @throws IllegalArgumentException if the text is malformed or the name does not resolve
     */
    public static Identifier resolve(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return parse(text);
        } catch (IllegalArgumentException notLiteral) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.startsWith("[")) {
                throw notLiteral;
            }
            String host = text.substring(0, colon);
            if (!looksLikeName(host)) {
                throw notLiteral;
            }
            int port = parsePort(text, colon);
            try {
                return new Identifier(InetAddress.getByName(host).getAddress(), port);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve host \"" + host + "\" in \"" + text + "\"", e);
            }
        }
    }

    /** The address as text, without brackets: the host half of the Go package's {@code IdentifierToAddr}. */
    public String host() {
        String s = toString();
        return isIpv6() ? s.substring(1, s.lastIndexOf(']')) : s.substring(0, s.lastIndexOf(':'));
    }

    /** The UDP port, 0 to 65535. */
    public int port() {
        return port;
    }

    /** Whether the address is IPv6 (16 bytes). */
    public boolean isIpv6() {
        return address.length == 16;
    }

    /** The number of address bytes: 4 or 16. */
    public int addressLength() {
        return address.length;
    }

    /** One byte of the address, in network order; {@code index} must be below {@link #addressLength()}. */
    public byte addressByte(int index) {
        return address[index];
    }

    /** A copy of the address bytes, network order. */
    public byte[] addressBytes() {
        return address.clone();
    }

    /** This identifier as a socket address. Builds the {@link InetAddress} from the bytes: no DNS lookup. */
    public InetSocketAddress toSocketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identifier other && other.port == port && Arrays.equals(other.address, address);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Orders IPv4 before IPv6, then by address bytes (unsigned), then by port. */
    @Override
    public int compareTo(Identifier o) {
        int c = Integer.compare(address.length, o.address.length);
        if (c == 0) {
            c = Arrays.compareUnsigned(address, o.address);
        }
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    /** The canonical text, {@code "ipv4:port"} or {@code "[ipv6]:port"}. */
    @Override
    public String toString() {
        String s = text;
        if (s == null) {
            s = (isIpv6() ? "[" + formatIpv6(address) + "]" : formatIpv4(address)) + ":" + port;
            text = s;
        }
        return s;
    }

    // ---- parsing and formatting -------------------------------------------------------------------------------

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid identifier \"" + text + "\": " + why + "; " + EXPECTED);
    }

    private static int parsePort(String text, int colon) {
        String p = text.substring(colon + 1);
        if (p.isEmpty()) {
            throw invalid(text, "the port is missing");
        }
        if (p.length() > 5) {
            throw invalid(text, "port \"" + p + "\" is out of range");
        }
        int port = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(text, "port \"" + p + "\" is not a decimal number");
            }
            port = port * 10 + (c - '0');
        }
        checkPort(port, text);
        return port;
    }

    private static void checkPort(int port, String text) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid identifier \"" + text + "\": port " + port
                    + " is out of range; " + EXPECTED);
        }
    }

    private static boolean looksLikeName(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (Character.isLetter(c)) {
                letter = true;
            } else if (!(c >= '0' && c <= '9') && c != '-' && c != '.') {
                return false;
            }
        }
        return letter;
    }

    /** Dotted decimal, four parts, each 0..255 without leading zeros; null if anything else. */
    static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return null;
                }
            }
            int len = i - start;
            if (len == 0 || value > 255 || (len > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? out : null;
    }

    /** RFC 4291 text forms, including {@code ::} and a trailing dotted quad; null if anything else. */
    static byte[] parseIpv6(String s) {
        if (s.isEmpty() || s.indexOf('%') >= 0) {
            return null;
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return new byte[16];
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 5) {
                value = value * 16 + Character.digit(s.charAt(i), 16);
                i++;
            }
            int len = i - start;
            if (i < n && s.charAt(i) == '.') {
                // embedded IPv4 in the last 32 bits
                byte[] v4 = parseIpv4(s.substring(start));
                if (v4 == null || count > 6) {
                    return null;
                }
                groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                i = n;
                break;
            }
            if (len == 0 || len > 4) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null;
            }
        }
        if (gap < 0 && count != 8) {
            return null;
        }
        if (gap >= 0 && count > 7) {
            return null;
        }
        byte[] out = new byte[16];
        int tail = gap < 0 ? 0 : count - gap;
        for (int g = 0; g < count; g++) {
            int slot = (gap >= 0 && g >= gap) ? 8 - tail + (g - gap) : g;
            out[2 * slot] = (byte) (groups[g] >>> 8);
            out[2 * slot + 1] = (byte) groups[g];
        }
        return out;
    }

    private static String formatIpv4(byte[] a) {
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }

    private static String formatIpv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
