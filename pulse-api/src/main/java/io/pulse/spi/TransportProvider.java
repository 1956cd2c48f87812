package io.pulse.spi;

import java.io.IOException;

/**
 * Opens transports of one kind; found through {@link java.util.ServiceLoader} (declare it with {@code provides} in
 * {@code module-info.java} and in {@code META-INF/services/io.pulse.spi.TransportProvider} for class-path users).
 * Implementations need a public no-argument constructor, which {@code ServiceLoader} requires.
 */
public interface TransportProvider {

    /** The stable name users choose this provider by, such as {@code "udp"} or {@code "sim"}. */
    String name();

    /**
     * Opens a transport bound as the options say.
     *
     * @throws IOException              if the address cannot be bound (in use, not local)
     * @throws IllegalArgumentException if an option is not one this provider can use, naming it
     */
    Transport open(TransportOptions options) throws IOException;
}
