package io.pulse.transport.udp;

import io.pulse.api.Identifier;
import io.pulse.spi.DatagramHandler;
import io.pulse.spi.Transport;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A {@link Transport} over a UDP socket: an NIO {@link DatagramChannel} (IPv4 or IPv6, as the bind address is),
 * read by one I/O thread, optionally sealing every datagram with AES-GCM (a {@link Keyring}).
 *
 * <p>Open one with {@link #builder()}, or through the provider named {@code "udp"} ({@link UdpTransportProvider}).
 * For example, sealed with keys from a file:
 * <pre>{@code
 * UdpTransport t = UdpTransport.builder()
 *         .bind(Identifier.parse("10.0.0.7:7946"))
 *         .keyring(Keyring.load(Path.of("/etc/pulse/keyring")))
 *         .open();
 * t.start((from, frame) -> ...);
 * }</pre>
 *
 * <p><b>Threading.</b> {@link #start} starts one daemon thread named {@code pulse-udp-<port>}, which waits on a
 * selector, reads every datagram into one reused direct buffer, checks the envelope, opens sealed datagrams into a
 * second reused (heap) buffer, and calls the handler; the handler runs on that thread only, and a handler that
 * throws costs one datagram ({@code dropped.handlerError}), never the loop. {@link #send} is thread-safe and never
 * blocks: the channel is non-blocking (a full socket buffer is the counted drop {@code dropped.sendBufferFull}),
 * and each sending thread seals with its own cipher and buffer (held in a {@link ThreadLocal}, so no lock but the
 * nonce counter's few-nanosecond one). The keyring and the migration flags may be changed while the transport runs,
 * from any thread.
 *
 * <p><b>Memory.</b> Buffers are sized by {@link Builder#maxDatagramBytes(int)}, not by the largest possible UDP
 * datagram: the receive buffer holds one byte more than that, so that a longer datagram shows (the socket would cut
 * it short silently) and is dropped as {@code dropped.tooLong}; peers must agree on the size. The buffers that only
 * sealing needs (the opened frame, the ciphers, each sending thread's scratch) exist only with a keyring. A heap
 * payload is copied into one direct send buffer of the transport's (the channel serializes sends anyway), so that
 * no sending thread gets a JDK cache of temporary direct buffers of its own.
 *
 * <p><b>Steady state allocates nothing per datagram</b> on the plaintext paths: buffers are reused, the sender's
 * {@link Identifier} is cached by socket address (receiving) and the socket address by identifier (sending). The
 * sealed paths allocate what the JDK's AES-GCM allocates per {@code Cipher.init} (about 1 KB).
 *
 * <p><b>Counters</b> ({@link #counters()}), all cumulative since open:
 * <ul>
 *   <li>{@code datagramsSent}, {@code bytesSent}: datagrams handed to the socket and their bytes on the wire
 *       (sealed size when sealing);</li>
 *   <li>{@code datagramsReceived}, {@code bytesReceived}: every datagram read from the socket, whatever became of
 *       it, and its bytes on the wire;</li>
 *   <li>{@code datagramsDelivered}: datagrams handed to the handler (the handler may still have thrown);</li>
 *   <li>{@code receiveErrors}: failed socket reads (not datagrams);</li>
 *   <li>{@code ioWakeups}: times the I/O thread woke from its selector (one wake-up may read several datagrams);</li>
 *   <li>drops when sending: {@code dropped.sendBufferFull}, {@code dropped.oversized} (longer than
 *       {@link #maxPayloadBytes()}), {@code dropped.closed}, {@code dropped.sendError} (refused by the operating
 *       system, such as an IPv6 destination from an IPv4 socket);</li>
 *   <li>drops when receiving: {@code dropped.tooLong} (longer than {@link #maxDatagramBytes()}); by envelope
 *       check: {@code dropped.truncated}, {@code dropped.badMagic},
 *       {@code dropped.badVersion}, {@code dropped.plaintextRefused}, {@code dropped.sealedWithoutKey},
 *       {@code dropped.unknownKey}, {@code dropped.failedToOpen}; and {@code dropped.handlerError}.</li>
 * </ul>
 * The names are stable; every one is present (zero if nothing happened).
 */
public final class UdpTransport implements Transport {

    /** The longest {@link #close()} waits for the I/O thread before closing the channel under it: 10 s. */
    private static final long CLOSE_WAIT_NS = 10_000_000_000L;
    private static final System.Logger LOG = System.getLogger(UdpTransport.class.getName());

    /** The smallest {@link Builder#maxDatagramBytes(int)}: room for a frame and the sealing overhead. */
    public static final int MIN_DATAGRAM_BYTES = 512;
    /** The largest {@link Builder#maxDatagramBytes(int)}: the largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;
    /** The default {@link Builder#maxDatagramBytes(int)}: fits a 1500-byte Ethernet MTU with IPv6 and UDP headers. */
    public static final int DEFAULT_DATAGRAM_BYTES = 1_400;
    /** The smallest socket buffer size accepted, in bytes. */
    public static final int MIN_SOCKET_BUFFER_BYTES = 1_024;
    /** The largest socket buffer size accepted, in bytes (the operating system may grant less). */
    public static final int MAX_SOCKET_BUFFER_BYTES = 1 << 30;
    /** How much a sealed datagram adds to the frame it carries, in bytes: header 13, nonce 12, tag 16. */
    public static final int SEAL_OVERHEAD_BYTES = Envelope.SEAL_OVERHEAD_BYTES;

    private static final int ADDRESS_CACHE_LIMIT = 16_384;
    /** There is one key, the channel's, and the loop drains it whenever select returns. */
    private static final Consumer<SelectionKey> READY_IGNORED = key -> { };

    private final DatagramChannel channel;
    private final Selector selector;
    private final Identifier local;
    private final int maxPayloadBytes;
    private final int maxDatagramBytes;
    private final boolean keyed;
    private final AtomicReference<Keyring> keyring;
    private volatile boolean acceptPlaintext;
    private volatile boolean sealOutgoing;
    private final NonceSequence nonces = new NonceSequence();
    private final ThreadLocal<SendScratch> sendScratch;
    /** Where a heap payload is copied to be sent; direct, so the channel sends it without a copy of its own. */
    private final ByteBuffer sendBuffer; // guarded by itself
    private final ConcurrentHashMap<Identifier, InetSocketAddress> socketAddresses = new ConcurrentHashMap<>();
    private final Counters counters = new Counters();

    private final Object lifecycle = new Object();
    private Thread ioThread; // guarded by lifecycle
    private volatile boolean closed;
    private volatile DatagramHandler handler;

    // owned by the I/O thread
    private final Map<SocketAddress, Identifier> senders = new HashMap<>();
    private SocketAddress lastSender;
    private Identifier lastSenderId;

    private UdpTransport(Builder b, DatagramChannel channel, Selector selector, Identifier local) {
        this.channel = channel;
        this.selector = selector;
        this.local = local;
        this.maxDatagramBytes = b.maxDatagramBytes;
        this.keyed = b.keyring != null;
        this.maxPayloadBytes = keyed ? b.maxDatagramBytes - SEAL_OVERHEAD_BYTES : b.maxDatagramBytes;
        this.keyring = new AtomicReference<>(b.keyring);
        this.acceptPlaintext = b.acceptPlaintext;
        this.sealOutgoing = b.sealOutgoing;
        int scratchBytes = b.maxDatagramBytes;
        this.sendScratch = ThreadLocal.withInitial(() -> new SendScratch(scratchBytes));
        this.sendBuffer = ByteBuffer.allocateDirect(b.maxDatagramBytes);
    }

    /** A builder with the defaults: no keyring, 1,400-byte datagrams, the operating system's socket buffers. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Identifier localAddress() {
        return local;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The configured datagram size, less {@link #SEAL_OVERHEAD_BYTES} when the transport has a keyring (even while
     * it sends plaintext for a migration, so that the engine's frames fit once it seals).
     */
    @Override
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** The largest datagram this transport writes, in bytes, as configured. */
    public int maxDatagramBytes() {
        return maxDatagramBytes;
    }

    @Override
    public void start(DatagramHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("transport " + local + " is closed");
            }
            if (ioThread != null) {
                throw new IllegalStateException("transport " + local + " is already started");
            }
            this.handler = handler;
            Thread t = new Thread(this::runLoop, "pulse-udp-" + local.port());
            t.setDaemon(true);
            ioThread = t;
            t.start();
        }
    }

    @Override
    public boolean send(Identifier to, ByteBuffer payload) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        if (closed) {
            counters.drop(DropReason.CLOSED);
            return false;
        }
        if (payload.remaining() > maxPayloadBytes) {
            counters.drop(DropReason.OVERSIZED);
            return false;
        }
        InetSocketAddress target = socketAddress(to);
        Keyring ring = keyring.get();
        int position = payload.position();
        try {
            int sent;
            if (ring != null && sealOutgoing) {
                SendScratch s = sendScratch.get();
                s.codec.seal(ring.primary(), nonces, payload, s.out);
                sent = sendCopy(s.out, target);
            } else if (payload.isDirect()) {
                try {
                    sent = channel.send(payload, target);
                } finally {
                    payload.position(position);
                }
            } else {
                sent = sendCopy(payload, target);
            }
            if (sent == 0) {
                counters.drop(DropReason.SEND_BUFFER_FULL);
                return false;
            }
            counters.datagramsSent.increment();
            counters.bytesSent.add(sent);
            return true;
        } catch (ClosedChannelException e) {
            counters.drop(DropReason.CLOSED);
            return false;
        } catch (IOException | UnsupportedAddressTypeException | UnresolvedAddressException e) {
            counters.drop(DropReason.SEND_ERROR);
            return false;
        }
    }

    /** Sends the bytes of {@code src} between position and limit through the direct send buffer. */
    private int sendCopy(ByteBuffer src, InetSocketAddress target) throws IOException {
        int length = src.remaining();
        synchronized (sendBuffer) {
            sendBuffer.clear();
            sendBuffer.put(0, src, src.position(), length).limit(length);
            return channel.send(sendBuffer, target);
        }
    }

    /**
     * The current keyring; empty if the transport was opened without one.
     */
    public Optional<Keyring> keyring() {
        return Optional.ofNullable(keyring.get());
    }

    /**
     * Replaces the keyring, for rotation; takes effect for the next datagram sealed or opened, on any thread.
     *
     * @throws IllegalStateException if the transport was opened without a keyring (sealing cannot be turned on
     *                               later: {@link #maxPayloadBytes()} would shrink under the engine's feet)
     */
    public void keyring(Keyring newKeyring) {
        Objects.requireNonNull(newKeyring, "newKeyring");
        requireKeyed();
        keyring.set(newKeyring);
    }

    /**
     * Changes the keyring atomically, as {@code update} says (such as {@code k -> k.withKey(b)}); {@code update}
     * may be called more than once if another thread changes the keyring at the same time, so it must be a pure
     * function.
     *
     * @return the keyring now in use
     * @throws IllegalStateException if the transport was opened without a keyring
     */
    public Keyring updateKeyring(UnaryOperator<Keyring> update) {
        Objects.requireNonNull(update, "update");
        requireKeyed();
        return keyring.updateAndGet(k -> Objects.requireNonNull(update.apply(k), "update returned null"));
    }

    /** Whether plaintext datagrams are handed on although a keyring is set (the migration flag). */
    public boolean acceptPlaintext() {
        return acceptPlaintext;
    }

    /**
     * Sets the migration flag: accept plaintext datagrams beside sealed ones. Without a keyring, plaintext is always
     * accepted and this changes nothing.
     *
     * @throws IllegalStateException if turning it off while this transport sends plaintext
     */
    public void acceptPlaintext(boolean accept) {
        synchronized (lifecycle) {
            if (!accept && keyed && !sealOutgoing) {
                throw new IllegalStateException("cannot refuse plaintext while sending plaintext; "
                        + "turn sealOutgoing on first");
            }
            acceptPlaintext = accept;
        }
    }

    /** Whether datagrams are sealed when sent (only meaningful with a keyring). */
    public boolean sealOutgoing() {
        return sealOutgoing;
    }

    /**
     * Sets whether to seal what is sent; turning it off is the first step of a migration from plaintext (every node
     * opens sealed datagrams before any node sends them).
     *
     * @throws IllegalStateException if turning it off while plaintext is refused
     */
    public void sealOutgoing(boolean seal) {
        synchronized (lifecycle) {
            if (!seal && keyed && !acceptPlaintext) {
                throw new IllegalStateException("cannot send plaintext while refusing plaintext; "
                        + "turn acceptPlaintext on first");
            }
            sealOutgoing = seal;
        }
    }

    /** {@inheritDoc} The names are listed in this class's description. */
    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    /**
     * Stops the I/O thread (waiting for it, at most 10 s, unless called from it, as from within the handler) and
     * closes the socket. Idempotent; datagrams sent afterwards are dropped and counted as {@code dropped.closed}.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            t = ioThread;
        }
        selector.wakeup();
        if (t != null && t != Thread.currentThread()) {
            // bounded: the I/O thread runs no user code, so it ends within a protocol step; if it has not after
            // CLOSE_WAIT_NS the channel is closed under it, which ends its next select
            boolean interrupted = false;
            long deadline = System.nanoTime() + CLOSE_WAIT_NS;
            while (t.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    t.join(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(selector);
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "UdpTransport[" + local + (keyed ? ", sealed" : "") + (closed ? ", closed" : "") + "]";
    }

    // ---- receiving ----------------------------------------------------------------------------------------------

    private void runLoop() {
        // one byte more than the longest datagram accepted, so that a longer one shows instead of being cut short
        ByteBuffer datagram = ByteBuffer.allocateDirect(maxDatagramBytes + 1);
        // heap: the JDK's GCM writes arrays; an opened frame is shorter than its datagram
        ByteBuffer plain = keyed ? ByteBuffer.allocate(maxDatagramBytes) : null;
        EnvelopeCodec codec = new EnvelopeCodec();
        DatagramHandler h = handler;
        while (!closed) {
            try {
                // the Consumer form leaves the selected-key set alone: no set entry allocated per wake-up
                selector.select(READY_IGNORED);
                counters.ioWakeups.increment();
                drain(datagram, plain, codec, h);
            } catch (ClosedSelectorException | ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                counters.receiveErrors.increment();
            }
        }
    }

    /** Reads until the socket has nothing more, or the transport closes. */
    private void drain(ByteBuffer datagram, ByteBuffer plain, EnvelopeCodec codec, DatagramHandler h)
            throws IOException {
        while (!closed) {
            datagram.clear();
            SocketAddress from;
            try {
                from = channel.receive(datagram);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                counters.receiveErrors.increment();
                return;
            }
            if (from == null) {
                return;
            }
            datagram.flip();
            int length = datagram.remaining();
            counters.datagramsReceived.increment();
            counters.bytesReceived.add(length);
            if (length > maxDatagramBytes) {
                counters.drop(DropReason.TOO_LONG);
                continue;
            }
            Verdict v = codec.receive(datagram, keyring.get(), acceptPlaintext, plain);
            if (!v.delivers()) {
                counters.drop(v.reason());
                continue;
            }
            ByteBuffer frame = v == Verdict.OPENED ? plain : datagram;
            deliver(h, sender(from), frame);
        }
    }

    private void deliver(DatagramHandler h, Identifier from, ByteBuffer frame) {
        counters.datagramsDelivered.increment();
        try {
            h.onDatagram(from, frame);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            counters.drop(DropReason.HANDLER_ERROR);
            long n = counters.dropped(DropReason.HANDLER_ERROR);
            if (Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, 8th... so a storm cannot flood the log
                LOG.log(System.Logger.Level.WARNING, "pulse-udp " + local + ": the datagram handler threw (" + n
                        + " times so far); the datagram from " + from + " is dropped", e);
            }
        }
    }

    /** The sender's identifier, cached: the JDK hands back the same address object for a repeated sender. */
    private Identifier sender(SocketAddress from) {
        if (from == lastSender) {
            return lastSenderId;
        }
        Identifier id = senders.get(from);
        if (id == null) {
            if (senders.size() >= ADDRESS_CACHE_LIMIT) {
                senders.clear();
            }
            id = Identifier.of((InetSocketAddress) from);
            senders.put(from, id);
        }
        lastSender = from;
        lastSenderId = id;
        return id;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private InetSocketAddress socketAddress(Identifier to) {
        InetSocketAddress a = socketAddresses.get(to);
        if (a == null) {
            if (socketAddresses.size() >= ADDRESS_CACHE_LIMIT) {
                socketAddresses.clear();
            }
            a = to.toSocketAddress();
            socketAddresses.put(to, a);
        }
        return a;
    }

    private void requireKeyed() {
        if (!keyed) {
            throw new IllegalStateException("transport " + local + " was opened without a keyring; open it with one "
                    + "to seal (its maxPayloadBytes depends on it)");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort; nothing useful to do
        }
    }

    /** A sending thread's cipher and output buffer. */
    private static final class SendScratch {
        final EnvelopeCodec codec = new EnvelopeCodec();
        final ByteBuffer out;

        SendScratch(int bytes) {
            out = ByteBuffer.allocate(bytes); // heap: the JDK's GCM writes arrays; the channel copies it out
        }
    }

    // ---- builder ------------------------------------------------------------------------------------------------

    /**
     * Configures and opens a {@link UdpTransport}. Not thread-safe. Each setter checks its value and throws
     * {@link IllegalArgumentException} naming the setting and the accepted range.
     */
    public static final class Builder {
        private Identifier bind;
        private Keyring keyring;
        private boolean acceptPlaintext;
        private boolean sealOutgoing = true;
        private int maxDatagramBytes = DEFAULT_DATAGRAM_BYTES;
        private int receiveBufferBytes = -1; // the OS default
        private int sendBufferBytes = -1; // the OS default

        private Builder() {
        }

        /**
         * The address to receive on (required). Port 0 picks a free port ({@link UdpTransport#localAddress()} tells
         * which); the wildcard address ({@code 0.0.0.0} or {@code [::]}) receives on every interface, but peers
         * must then be told a routable address. An IPv6 address opens an IPv6 socket, an IPv4 one an IPv4 socket.
         */
        public Builder bind(Identifier address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Seals what is sent and opens what is received with these keys. Default: none, plaintext. */
        public Builder keyring(Keyring keyring) {
            this.keyring = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        /**
         * With a keyring, hand on plaintext datagrams too, instead of dropping them as
         * {@code dropped.plaintextRefused}. Only for migrating a cluster to or from sealing: it lets anyone who can
         * reach the port inject unauthenticated datagrams. Default false.
         */
        public Builder acceptPlaintext(boolean accept) {
            this.acceptPlaintext = accept;
            return this;
        }

        /**
         * With a keyring, whether to seal what is sent. Default true. False is the first step of a migration to
         * sealing: every node first opens sealed datagrams and still sends plaintext, then every node seals, then
         * every node refuses plaintext; so false requires {@link #acceptPlaintext(boolean)} true.
         */
        public Builder sealOutgoing(boolean seal) {
            this.sealOutgoing = seal;
            return this;
        }

        /**
         * The largest datagram written or accepted, in bytes, sealing included; [512, 65507], default 1,400. Larger
         * datagrams carry more gossip per packet, but past the path MTU they fragment, and a lost fragment loses the
         * datagram. Every node of a cluster must use the same size: a longer datagram is dropped and counted as
         * {@code dropped.tooLong}. The transport's buffers are sized by it, about three times it per transport.
         */
        public Builder maxDatagramBytes(int bytes) {
            this.maxDatagramBytes = checkRange("maxDatagramBytes", bytes, MIN_DATAGRAM_BYTES, MAX_DATAGRAM_BYTES);
            return this;
        }

        /**
         * The socket's receive buffer ({@code SO_RCVBUF}) in bytes, [1024, 2^30]; default: the operating system's.
         * A larger buffer absorbs bursts (a push-pull exchange, a flood) without loss; the operating system may cap
         * it (Linux: {@code net.core.rmem_max}).
         */
        public Builder receiveBufferBytes(int bytes) {
            this.receiveBufferBytes = checkRange("receiveBufferBytes", bytes, MIN_SOCKET_BUFFER_BYTES,
                    MAX_SOCKET_BUFFER_BYTES);
            return this;
        }

        /**
         * The socket's send buffer ({@code SO_SNDBUF}) in bytes, [1024, 2^30]; default: the operating system's.
         * Too small and bursts of sends are dropped as {@code dropped.sendBufferFull}.
         */
        public Builder sendBufferBytes(int bytes) {
            this.sendBufferBytes = checkRange("sendBufferBytes", bytes, MIN_SOCKET_BUFFER_BYTES,
                    MAX_SOCKET_BUFFER_BYTES);
            return this;
        }

        /**
         * Binds the socket and returns the transport, not yet delivering: call {@link UdpTransport#start}.
         *
         * @throws IllegalStateException if {@link #bind(Identifier)} was not called, or {@code sealOutgoing} is off
         *                               while plaintext is refused
         * @throws IOException           if the address cannot be bound (in use, not an address of this host, an
         *                               IPv6 address on a host without IPv6); the message names the address
         */
        public UdpTransport open() throws IOException {
            if (bind == null) {
                throw new IllegalStateException("no bind address; call bind(Identifier) before open()");
            }
            if (keyring != null && !sealOutgoing && !acceptPlaintext) {
                throw new IllegalStateException("sealOutgoing(false) requires acceptPlaintext(true): a node that sends "
                        + "plaintext must accept it");
            }
            DatagramChannel channel = null;
            Selector selector = null;
            try {
                channel = DatagramChannel.open(bind.isIpv6() ? StandardProtocolFamily.INET6
                        : StandardProtocolFamily.INET);
                if (receiveBufferBytes > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
                }
                if (sendBufferBytes > 0) {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
                }
                channel.configureBlocking(false);
                channel.bind(bind.toSocketAddress());
                Identifier local = Identifier.of((InetSocketAddress) channel.getLocalAddress());
                selector = Selector.open();
                channel.register(selector, SelectionKey.OP_READ);
                return new UdpTransport(this, channel, selector, local);
            } catch (IOException | UnsupportedOperationException e) {
                if (selector != null) {
                    closeQuietly(selector);
                }
                if (channel != null) {
                    closeQuietly(channel);
                }
                String message = "cannot bind UDP socket to " + bind + ": " + e.getMessage();
                IOException failure = e instanceof BindException
                        ? new BindException(message) : new IOException(message);
                failure.initCause(e);
                throw failure;
            }
        }

        static int checkRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
            }
            return value;
        }
    }
}
