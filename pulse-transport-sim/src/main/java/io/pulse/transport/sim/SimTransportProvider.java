package io.pulse.transport.sim;

import io.pulse.spi.Transport;
import io.pulse.spi.TransportOptions;
import io.pulse.spi.TransportProvider;
import java.net.BindException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The provider of the transport named {@code "sim"}: opens {@link SimTransport}s on simulated networks, so that
 * code which chooses its transport by name ({@code Transports.provider("sim")}) runs its nodes in virtual time.
 *
 * <p><b>Which network.</b> Each provider instance keeps its own networks, by name; every transport opened from one
 * instance with the same {@code sim.network} name (default {@code "default"}) is on the same network and can reach
 * the others. {@link java.util.ServiceLoader} builds a new instance on every lookup, so look the provider up once
 * and open every node of one cluster from it; two lookups are two separate worlds (as two test cases should be).
 * Reach a network to run it with {@link #network(String)}, or from any of its transports with
 * {@link SimTransport#network()}. To open transports on a network built by hand, use {@link SimNetwork#provider()}.
 *
 * <p><b>Properties</b> (keys starting with {@code sim.}; any other {@code sim.} key is rejected, naming it, and
 * keys without the prefix are left to whoever else reads the options):
 * <ul>
 *   <li>{@code sim.network}: the network's name, any non-blank text; default {@code default};</li>
 *   <li>{@code sim.seed}: the network's seed, a long; default 1;</li>
 *   <li>{@code sim.latency}: the one-way delay, {@code fixed:1ms}, {@code uniform:200us-1ms},
 *       {@code normal:5ms/1ms} or {@code lognormal:2ms/50ms}; default {@code uniform:200us-1ms} (a LAN);</li>
 *   <li>{@code sim.loss}, {@code sim.duplicate}, {@code sim.reorder}: per-datagram probabilities in [0, 1);
 *       default 0;</li>
 *   <li>{@code sim.reorderWithin}: the longest hold-back of a reordered datagram, such as {@code 5ms}, in
 *       [0, 60s]; default 5ms.</li>
 * </ul>
 * All but {@code sim.network} describe the network and take effect when the first transport on it is opened; a
 * later open that names one with another value is rejected (the network cannot be two things), and one that leaves
 * them out joins the network as it is.
 *
 * <p>Not thread-safe: like its networks, a provider instance belongs to the thread that uses it.
 */
public final class SimTransportProvider implements TransportProvider {

    /** The provider's name. */
    public static final String NAME = "sim";

    static final String NETWORK = "sim.network";
    static final String SEED = "sim.seed";
    static final String LATENCY = "sim.latency";
    static final String LOSS = "sim.loss";
    static final String DUPLICATE = "sim.duplicate";
    static final String REORDER = "sim.reorder";
    static final String REORDER_WITHIN = "sim.reorderWithin";
    static final List<String> KEYS = List.of(DUPLICATE, LATENCY, LOSS, NETWORK, REORDER, REORDER_WITHIN, SEED);

    /** The network name used when {@code sim.network} is absent. */
    public static final String DEFAULT_NETWORK = "default";

    private final TreeMap<String, SimNetwork> networks = new TreeMap<>();
    private final SimNetwork only;

    /** Creates the provider; public and without arguments, as {@link java.util.ServiceLoader} requires. */
    public SimTransportProvider() {
        this.only = null;
    }

    /** A provider that opens every transport on {@code network} and reads no {@code sim.} property. */
    SimTransportProvider(SimNetwork network) {
        this.only = network;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if a {@code sim.} property is unknown, unusable, or contradicts the network
     *                                  it names (the message names the key and what it accepts), or the bind
     *                                  address is a wildcard
     * @throws BindException            if a transport is already bound to the address on that network
     */
    @Override
    public Transport open(TransportOptions options) throws BindException {
        Map<String, String> p = options.properties();
        for (String key : p.keySet()) {
            if (key.startsWith("sim.") && (only != null || !KEYS.contains(key))) {
                throw new IllegalArgumentException("unknown property " + key + "; " + (only != null
                        ? "a provider from SimNetwork.provider() reads none (its network is already configured)"
                        : "the sim transport reads " + String.join(", ", KEYS)));
            }
        }
        SimNetwork net = only != null ? only : networkFor(p);
        if (net.isBound(options.bind())) {
            throw new BindException("address " + options.bind() + " is already bound on this simulated network");
        }
        return net.open(options.bind());
    }

    private SimNetwork networkFor(Map<String, String> p) {
        String name = p.getOrDefault(NETWORK, DEFAULT_NETWORK);
        if (name.isBlank()) {
            throw new IllegalArgumentException(NETWORK + " must name a network (any non-blank text), was blank");
        }
        Simulation.Network model = model(p);
        long seed = seed(p);
        SimNetwork existing = networks.get(name);
        if (existing == null) {
            SimNetwork created = SimNetwork.builder().seed(seed).network(model).build();
            networks.put(name, created);
            return created;
        }
        if (p.containsKey(SEED) && existing.seed() != seed) {
            throw new IllegalArgumentException(SEED + " is " + seed + " but network \"" + name
                    + "\" was created with seed " + existing.seed() + "; leave it out to join that network");
        }
        Simulation.Network now = existing.network();
        conflict(p, LATENCY, name, model.latency(), now.latency());
        conflict(p, LOSS, name, model.loss(), now.loss());
        conflict(p, DUPLICATE, name, model.duplicate(), now.duplicate());
        conflict(p, REORDER, name, model.reorder(), now.reorder());
        conflict(p, REORDER_WITHIN, name, Durations.format(model.reorderDelayNs()),
                Durations.format(now.reorderDelayNs()));
        return existing;
    }

    private static void conflict(Map<String, String> p, String key, String name, Object asked, Object actual) {
        if (p.containsKey(key) && !asked.equals(actual)) {
            throw new IllegalArgumentException(key + " is " + asked + " but network \"" + name + "\" has " + actual
                    + "; leave it out to join that network as it is");
        }
    }

    /** The network named {@code name}, if a transport has been opened on it from this provider. */
    public Optional<SimNetwork> network(String name) {
        return Optional.ofNullable(networks.get(name));
    }

    /** The names of this provider's networks, sorted. */
    public List<String> networkNames() {
        return List.copyOf(networks.keySet());
    }

    // ------------------------------------------------------------------------------------------------ parsing

    private static long seed(Map<String, String> p) {
        String v = p.get(SEED);
        if (v == null) {
            return 1;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED + " must be an integer in [" + Long.MIN_VALUE + ", "
                    + Long.MAX_VALUE + "], was \"" + v + "\"");
        }
    }

    private static Simulation.Network model(Map<String, String> p) {
        Simulation.Network lan = Simulation.Network.lan();
        Latency latency = lan.latency();
        String l = p.get(LATENCY);
        if (l != null) {
            try {
                latency = Latency.parse(l.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(LATENCY + " must be fixed:D, uniform:D-D, normal:MEAN/STDDEV or "
                        + "lognormal:MEDIAN/P99 (such as uniform:200us-1ms), was \"" + l + "\": " + e.getMessage(), e);
            }
        }
        long within = lan.reorderDelayNs();
        String w = p.get(REORDER_WITHIN);
        if (w != null) {
            try {
                within = Durations.parse(w.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(REORDER_WITHIN + " must be a duration in [0, 60s] such as 5ms, "
                        + "was \"" + w + "\"", e);
            }
            if (within > Latency.MAX_NS) {
                throw new IllegalArgumentException(REORDER_WITHIN + " must be in [0, 60s], was \"" + w + "\"");
            }
        }
        return new Simulation.Network(latency, probability(p, LOSS), probability(p, DUPLICATE),
                probability(p, REORDER), within);
    }

    private static double probability(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            return 0;
        }
        double d;
        try {
            d = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= 0 && d < 1)) {
            throw new IllegalArgumentException(key + " must be a probability in [0, 1), was \"" + v + "\"");
        }
        return d;
    }
}
