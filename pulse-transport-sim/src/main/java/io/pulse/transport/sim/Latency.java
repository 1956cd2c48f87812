package io.pulse.transport.sim;

import java.util.SplittableRandom;

/**
 * The one-way delay of a datagram, drawn afresh for every datagram from a distribution. Every variant is a value
 * with a canonical text form ({@code toString()}) that {@link #parse(String)} reads back:
 *
 * <ul>
 *   <li>{@code fixed:1ms} — always the same delay;</li>
 *   <li>{@code uniform:200us-1ms} — uniform between the two bounds, inclusive;</li>
 *   <li>{@code normal:5ms/1ms} — normal with the given mean and standard deviation, cut at zero (a "normal-ish"
 *       jitter around a mean);</li>
 *   <li>{@code lognormal:2ms/50ms} — log-normal with the given median and 99th percentile: most datagrams are
 *       fast and a heavy tail is slow, as on a real, shared network.</li>
 * </ul>
 *
 * <p>All times are in nanoseconds. A sample is never negative and never above {@link #MAX_NS} (one minute).
 */
public sealed interface Latency {

    /** The largest delay any distribution draws: 60 s. */
    long MAX_NS = 60_000_000_000L;

    /** Draws one delay, in nanoseconds, from {@code random}. */
    long sampleNs(SplittableRandom random);

    /** A median-ish delay, in nanoseconds: the value reports use to describe the network. */
    long typicalNs();

    /** Always {@code ns}. */
    record Fixed(long ns) implements Latency {
        /** Rejects negative or overlong delays. */
        public Fixed {
            check("fixed latency", ns);
        }

        @Override
        public long sampleNs(SplittableRandom random) {
            return ns;
        }

        @Override
        public long typicalNs() {
            return ns;
        }

        @Override
        public String toString() {
            return "fixed:" + Durations.format(ns);
        }
    }

    /** Uniform in [{@code minNs}, {@code maxNs}]. */
    record Uniform(long minNs, long maxNs) implements Latency {
        /** Rejects an empty or negative range. */
        public Uniform {
            check("uniform latency minimum", minNs);
            check("uniform latency maximum", maxNs);
            if (maxNs < minNs) {
                throw new IllegalArgumentException("uniform latency needs min <= max, was " + Durations.format(minNs)
                        + "-" + Durations.format(maxNs));
            }
        }

        @Override
        public long sampleNs(SplittableRandom random) {
            return maxNs == minNs ? minNs : minNs + random.nextLong(maxNs - minNs + 1);
        }

        @Override
        public long typicalNs() {
            return (minNs + maxNs) / 2;
        }

        @Override
        public String toString() {
            return "uniform:" + Durations.format(minNs) + "-" + Durations.format(maxNs);
        }
    }

    /** Normal with mean {@code meanNs} and standard deviation {@code stddevNs}, cut at 0 and {@link #MAX_NS}. */
    record Normal(long meanNs, long stddevNs) implements Latency {
        /** Rejects negative values. */
        public Normal {
            check("normal latency mean", meanNs);
            check("normal latency standard deviation", stddevNs);
        }

        @Override
        public long sampleNs(SplittableRandom random) {
            double v = meanNs + stddevNs * gaussian(random);
            return (long) Math.max(0, Math.min(MAX_NS, v));
        }

        @Override
        public long typicalNs() {
            return meanNs;
        }

        @Override
        public String toString() {
            return "normal:" + Durations.format(meanNs) + "/" + Durations.format(stddevNs);
        }
    }

    /**
     * Log-normal with median {@code medianNs} and 99th percentile {@code p99Ns}: ln(delay) is normal with
     * mean ln(median) and standard deviation ln(p99 / median) / 2.3263 (the 99th percentile of a standard normal).
     */
    record LogNormal(long medianNs, long p99Ns) implements Latency {
        private static final double Z99 = 2.3263478740408408;

        /** Rejects a zero median or a 99th percentile below the median. */
        public LogNormal {
            check("log-normal latency median", medianNs);
            check("log-normal latency p99", p99Ns);
            if (medianNs <= 0 || p99Ns < medianNs) {
                throw new IllegalArgumentException("log-normal latency needs 0 < median <= p99, was "
                        + Durations.format(medianNs) + "/" + Durations.format(p99Ns));
            }
        }

        @Override
        public long sampleNs(SplittableRandom random) {
            double sigma = Math.log((double) p99Ns / medianNs) / Z99;
            double v = medianNs * Math.exp(sigma * gaussian(random));
            return (long) Math.max(0, Math.min(MAX_NS, v));
        }

        @Override
        public long typicalNs() {
            return medianNs;
        }

        @Override
        public String toString() {
            return "lognormal:" + Durations.format(medianNs) + "/" + Durations.format(p99Ns);
        }
    }

    /**
     * Reads the text form: {@code fixed:D}, {@code uniform:D-D}, {@code normal:MEAN/STDDEV},
     * {@code lognormal:MEDIAN/P99}; a bare duration {@code D} means {@code fixed:D}.
     *
     * @param text the text form
     * @return the distribution
     * @throws IllegalArgumentException saying what was expected
     */
    static Latency parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        String kind = colon < 0 ? "fixed" : t.substring(0, colon);
        String args = colon < 0 ? t : t.substring(colon + 1);
        try {
            switch (kind) {
                case "fixed":
                    return new Fixed(Durations.parse(args));
                case "uniform": {
                    String[] p = split(args, '-');
                    return new Uniform(Durations.parse(p[0]), Durations.parse(p[1]));
                }
                case "normal": {
                    String[] p = split(args, '/');
                    return new Normal(Durations.parse(p[0]), Durations.parse(p[1]));
                }
                case "lognormal": {
                    String[] p = split(args, '/');
                    return new LogNormal(Durations.parse(p[0]), Durations.parse(p[1]));
                }
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad latency '" + text + "': " + e.getMessage()
                    + " (accepted: fixed:1ms, uniform:200us-1ms, normal:5ms/1ms, lognormal:2ms/50ms)", e);
        }
        throw new IllegalArgumentException("bad latency '" + text
                + "': expected fixed:1ms, uniform:200us-1ms, normal:5ms/1ms or lognormal:2ms/50ms");
    }

    private static String[] split(String args, char sep) {
        int i = args.indexOf(sep);
        if (i < 0) {
            throw new IllegalArgumentException("expected two durations separated by '" + sep + "'");
        }
        return new String[] {args.substring(0, i), args.substring(i + 1)};
    }

    private static void check(String what, long ns) {
        if (ns < 0 || ns > MAX_NS) {
            throw new IllegalArgumentException(what + " must be in [0, 60s], was " + ns + " ns");
        }
    }

    /** A standard normal draw (Box–Muller; one of the pair is discarded, which keeps the draw count fixed). */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
