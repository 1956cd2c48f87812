package io.pulse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports for the agents: bound to port 0, read, closed, handed out. Another process could take one in
 * between; on a test machine that is rare enough, and the agent says plainly when its port is in use.
 */
final class Ports {

    /** Every port handed out by this JVM: never twice, even if the kernel offers it again. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** A UDP port free on 127.0.0.1 whose TCP twin is free too (so that a test may use either). */
    static int udp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (tcpFree(port) && GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free UDP port on 127.0.0.1 after 50 attempts");
    }

    /** A TCP port free on 127.0.0.1, for an agent's HTTP API. */
    static int tcp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (GIVEN.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free TCP port on 127.0.0.1 after 50 attempts");
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
