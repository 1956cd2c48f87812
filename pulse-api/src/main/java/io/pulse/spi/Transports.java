package io.pulse.spi;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds {@link TransportProvider}s by name. */
public final class Transports {

    private Transports() {
    }

    /**
     * The provider with the given name, loaded with {@link ServiceLoader} from the module layer or class path of
     * this module.
     *
     * @throws IllegalArgumentException if no provider has that name; the message lists the names available
     */
    public static TransportProvider provider(String name) {
        return provider(name, ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader()));
    }

    /** The names of every provider that can be found, sorted. */
    public static List<String> available() {
        return available(ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader()));
    }

    static TransportProvider provider(String name, Iterable<TransportProvider> providers) {
        for (TransportProvider p : providers) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        List<String> names = available(providers);
        throw new IllegalArgumentException("no transport named \"" + name + "\"; available: "
                + (names.isEmpty() ? "none (is a transport module on the module or class path?)"
                : String.join(", ", names)));
    }

    static List<String> available(Iterable<TransportProvider> providers) {
        TreeSet<String> names = new TreeSet<>();
        for (TransportProvider p : providers) {
            names.add(p.name());
        }
        return List.copyOf(names);
    }
}
