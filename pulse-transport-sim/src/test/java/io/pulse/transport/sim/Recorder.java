package io.pulse.transport.sim;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import java.util.ArrayList;
import java.util.List;

/** Collects every membership event of a simulation, for assertions. */
final class Recorder implements Simulation.EventListener {

    record Seen(int node, long atNs, MembershipEvent event) {
    }

    final List<Seen> all = new ArrayList<>();

    @Override
    public void onEvent(int node, long atNs, MembershipEvent event) {
        all.add(new Seen(node, atNs, event));
    }

    List<Seen> of(Class<? extends MembershipEvent> type, Identifier member) {
        List<Seen> out = new ArrayList<>();
        for (Seen s : all) {
            if (type.isInstance(s.event()) && s.event().member().equals(member)) {
                out.add(s);
            }
        }
        return out;
    }

    List<Seen> ofType(Class<? extends MembershipEvent> type) {
        List<Seen> out = new ArrayList<>();
        for (Seen s : all) {
            if (type.isInstance(s.event())) {
                out.add(s);
            }
        }
        return out;
    }
}
