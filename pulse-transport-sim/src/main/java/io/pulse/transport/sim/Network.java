package io.pulse.transport.sim;

import java.util.Objects;

/**
 * What the simulated network does to each datagram, as a value; a simulation can swap it at any virtual time
 * ({@link Simulation#network(long, Network)}). Every datagram is decided independently, with the simulation's
 * seeded network generator, in this order: lost (probability {@code loss}); otherwise delivered after a delay
 * drawn from {@code latency}, plus, with probability {@code reorder}, an extra delay uniform in
 * (0, {@code reorderDelayNs}] that lets later datagrams overtake it; and, with probability {@code duplicate}, a
 * second copy is delivered after its own independently drawn delay.
 *
 * <p>Partitions (between groups, or on single directed links) are not part of this value: they are faults, set and
 * healed over time through {@link Simulation}.
 *
 * @param latency        the one-way delay distribution
 * @param loss           probability that a datagram is lost, in [0, 1)
 * @param duplicate      probability that a delivered datagram is delivered twice, in [0, 1)
 * @param reorder        probability that a datagram is held back so that later ones overtake it, in [0, 1)
 * @param reorderDelayNs the largest extra delay of a held-back datagram, in nanoseconds, in [0, 60 s]
 */
public record Network(Latency latency, double loss, double duplicate, double reorder, long reorderDelayNs) {

    /** Rejects probabilities outside [0, 1) and negative delays. */
    public Network {
        Objects.requireNonNull(latency, "latency");
        probability("loss", loss);
        probability("duplicate", duplicate);
        probability("reorder", reorder);
        if (reorderDelayNs < 0 || reorderDelayNs > Latency.MAX_NS) {
            throw new IllegalArgumentException("reorderDelay must be in [0, 60s], was " + reorderDelayNs + " ns");
        }
    }

    /** A LAN: 0.2 to 1 ms one way, uniform; no loss, duplication or reordering. */
    public static Network lan() {
        return new Network(new Latency.Uniform(200_000, 1_000_000), 0, 0, 0, 5_000_000);
    }

    /** A wide-area network: log-normal delay with a 30 ms median and a 150 ms p99; nothing lost. */
    public static Network wan() {
        return new Network(new Latency.LogNormal(30_000_000, 150_000_000), 0, 0, 0, 50_000_000);
    }

    /** Loopback: 50 µs one way, fixed. */
    public static Network local() {
        return new Network(new Latency.Fixed(50_000), 0, 0, 0, 1_000_000);
    }

    /** This network with another latency distribution. */
    public Network withLatency(Latency newLatency) {
        return new Network(newLatency, loss, duplicate, reorder, reorderDelayNs);
    }

    /** This network with another loss probability. */
    public Network withLoss(double newLoss) {
        return new Network(latency, newLoss, duplicate, reorder, reorderDelayNs);
    }

    /** This network with another duplication probability. */
    public Network withDuplicate(double newDuplicate) {
        return new Network(latency, loss, newDuplicate, reorder, reorderDelayNs);
    }

    /** This network with another reordering probability and largest hold-back delay. */
    public Network withReorder(double newReorder, long newReorderDelayNs) {
        return new Network(latency, loss, duplicate, newReorder, newReorderDelayNs);
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), was " + p);
        }
    }
}
