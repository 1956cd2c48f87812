package io.pulse.spi;

import io.pulse.api.Identifier;
import java.nio.ByteBuffer;

/** A provider registered in the test resources, to check lookup by name. It opens a transport that drops all. */
public class LoopbackTestProvider implements TransportProvider {

    private final String name;

    /** Required by ServiceLoader. */
    public LoopbackTestProvider() {
        this("loopback-test");
    }

    LoopbackTestProvider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Transport open(TransportOptions options) {
        return new Transport() {
            @Override
            public Identifier localAddress() {
                return options.bind();
            }

            @Override
            public void start(DatagramHandler handler) {
            }

            @Override
            public boolean send(Identifier to, ByteBuffer payload) {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }
}
