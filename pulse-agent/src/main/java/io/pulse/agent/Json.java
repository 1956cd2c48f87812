package io.pulse.agent;

import com.fasterxml.jackson.jr.ob.JSON;
import io.pulse.api.Metadata;
import io.pulse.api.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes of the HTTP API ({@code docs/http-api.md}), built as ordered maps and written by jackson-jr.
 * Field names are a contract with tools: add fields, never rename them.
 */
final class Json {

    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {
    }

    /** One member: {@code id, state, incarnation, rttMs, rttP99Ms, lastContact, firstContact, metadata}. */
    static Map<String, Object> status(Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id().toString());
        m.put("state", s.state().name());
        m.put("incarnation", s.incarnation());
        m.put("rttMs", millis(s.rtt()));
        m.put("rttP99Ms", millis(s.rttP99()));
        m.put("lastContact", instant(s.lastContact()));
        m.put("firstContact", instant(s.firstContact()));
        m.put("metadata", metadata(s.metadata()));
        return m;
    }

    /** {@code {"error": message}}. */
    static Map<String, Object> error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return m;
    }

    /** Milliseconds with microsecond precision, or null. */
    static Double millis(Optional<Duration> d) {
        return d.map(x -> Math.round(x.toNanos() / 1_000.0) / 1_000.0).orElse(null);
    }

    /** ISO-8601 (UTC, {@code Z}), or null. */
    static String instant(Optional<Instant> i) {
        return i.map(Instant::toString).orElse(null);
    }

    /** The metadata bytes as UTF-8 text (malformed sequences become U+FFFD). */
    static String metadata(Metadata m) {
        return m.asUtf8();
    }

    /** Writes a value (maps, lists, strings, numbers, booleans, null) as JSON text. */
    static String write(Object value) {
        try {
            return WRITER.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a value as indented JSON text. */
    static String writePretty(Object value) {
        try {
            return WRITER.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a JSON array of objects. */
    static List<Object> readList(String text) throws IOException {
        return WRITER.listFrom(text);
    }

    /** Reads a JSON object. */
    static Map<String, Object> readMap(String text) throws IOException {
        return WRITER.mapFrom(text);
    }
}
