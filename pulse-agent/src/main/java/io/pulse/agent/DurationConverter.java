package io.pulse.agent;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * picocli: a duration such as {@code 500ms}, {@code 2s}, {@code 1m} or {@code 1h} (also {@code us}); a bare number
 * is seconds, as the Go package's {@code delay} was.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    /** What every duration flag accepts, for messages. */
    static final String ACCEPTS = "expected a duration such as 500ms, 2s, 1m or 1h (a bare number is seconds)";

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "': " + ACCEPTS);
        }
    }

    /** Parses the forms listed above; throws {@link IllegalArgumentException} for anything else. */
    static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) {
            i++;
        }
        if (i == 0 || i > 15) {
            throw new IllegalArgumentException(value);
        }
        double n = Double.parseDouble(v.substring(0, i));
        String unit = v.substring(i).strip();
        double nanos = switch (unit) {
            case "", "s" -> n * 1e9;
            case "ms" -> n * 1e6;
            case "us", "µs" -> n * 1e3;
            case "m" -> n * 60e9;
            case "h" -> n * 3600e9;
            default -> throw new IllegalArgumentException(value);
        };
        if (nanos > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException(value);
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** Formats a duration the way {@link #parse} reads it: {@code 1.5s}, {@code 200ms}. */
    static String format(Duration d) {
        long ns = d.toNanos();
        if (ns >= 1_000_000_000L) {
            return trim(ns / 1e9) + "s";
        }
        if (ns >= 1_000_000L) {
            return trim(ns / 1e6) + "ms";
        }
        return trim(ns / 1e3) + "us";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
