package io.pulse.transport.sim;

/**
 * Durations as the simulator writes and reads them: an integer or decimal number followed by a unit, {@code ns},
 * {@code us}, {@code ms}, {@code s}, {@code m} or {@code h} ({@code 30s}, {@code 1.5s}, {@code 10m},
 * {@code 250us}). Printing uses the largest unit that represents the value exactly, so that
 * {@code parse(format(ns)) == ns} for every non-negative value.
 */
public final class Durations {

    private static final String[] UNITS = {"h", "m", "s", "ms", "us", "ns"};
    private static final long[] NANOS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};

    private Durations() {
    }

    /** Formats non-negative nanoseconds in the largest exact unit: {@code 90s}, {@code 1500ms}, {@code 0s}. */
    public static String format(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("a duration must not be negative, was " + ns + " ns");
        }
        if (ns == 0) {
            return "0s";
        }
        for (int i = 0; i < UNITS.length; i++) {
            if (ns % NANOS[i] == 0) {
                return ns / NANOS[i] + UNITS[i];
            }
        }
        return ns + "ns";
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted form when it is not a duration
     */
    public static long parse(String text) {
        String t = text.trim();
        int u = 0;
        while (u < t.length() && (Character.isDigit(t.charAt(u)) || t.charAt(u) == '.')) {
            u++;
        }
        String number = t.substring(0, u);
        String unit = t.substring(u);
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit) && !number.isEmpty()) {
                try {
                    double v = new java.math.BigDecimal(number).multiply(java.math.BigDecimal.valueOf(NANOS[i]))
                            .doubleValue();
                    if (v > Long.MAX_VALUE / 2.0) {
                        break;
                    }
                    return new java.math.BigDecimal(number).multiply(java.math.BigDecimal.valueOf(NANOS[i]))
                            .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("expected a duration such as 30s, 1.5s, 10m, 500ms or 250us, was '"
                + text + "'");
    }
}
