/** The runnable pulse node: the {@code pulse} command, the HTTP status API and metrics. */
module io.pulse.agent {
    requires io.pulse.api;
    requires io.pulse.engine;
    requires io.pulse.transport.udp;
    requires io.pulse.transport.sim;
    requires info.picocli;
    requires com.fasterxml.jackson.jr.ob;
    requires jdk.httpserver;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    // JCTools (inside the engine) uses sun.misc.Unsafe; on the module path nothing else resolves jdk.unsupported.
    // Belongs in the engine's module-info (requested); harmless here once it is there.
    requires jdk.unsupported;
    requires me.tongfei.progressbar;
    // the uPlot webjar (an automatic module named from its jar), whose script and style the sim report inlines
    requires uplot;

    // picocli reflects on the command classes
    opens io.pulse.agent to info.picocli;

}
