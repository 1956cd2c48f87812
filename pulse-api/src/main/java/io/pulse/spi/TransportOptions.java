package io.pulse.spi;

import io.pulse.api.Identifier;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link TransportProvider} needs to open a transport: the address to bind and provider-specific settings.
 *
 * @param bind       the address to receive on; port 0 asks for any free port
 * @param properties provider-specific settings by name (a provider documents the ones it reads and rejects, with
 *                   a message naming the key, values it cannot use); copied and kept sorted
 */
public record TransportOptions(Identifier bind, Map<String, String> properties) {

    /** Rejects nulls; copies the properties. */
    public TransportOptions {
        Objects.requireNonNull(bind, "bind");
        properties = Map.copyOf(new TreeMap<>(Objects.requireNonNull(properties, "properties")));
    }

    /** Options with just a bind address. */
    public static TransportOptions bind(Identifier bind) {
        return new TransportOptions(bind, Map.of());
    }

    /** These options with one more property. */
    public TransportOptions with(String key, String value) {
        TreeMap<String, String> copy = new TreeMap<>(properties);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new TransportOptions(bind, copy);
    }
}
