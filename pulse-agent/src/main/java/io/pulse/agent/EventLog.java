package io.pulse.agent;

import io.pulse.api.FailureMessage;
import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Membership events as log lines, one line each: {@code <instant> <event> <member> inc=<n> [details]}, for
 * example {@code 2026-11-25T03:10:01.123Z suspect 127.0.0.1:7947 inc=0}. The event words are {@code joined},
 * {@code suspect}, {@code alive}, {@code dead}, {@code left} and {@code updated}.
 */
final class EventLog implements Consumer<MembershipEvent> {

    private final PrintWriter out;

    EventLog(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(MembershipEvent event) {
        out.println(format(event));
        out.flush();
    }

    /** One event as one line. */
    static String format(MembershipEvent e) {
        String head = e.at() + " " + word(e) + " " + e.member() + " inc=" + e.incarnation();
        if (e instanceof MembershipEvent.Joined j && j.metadata().size() > 0) {
            return head + " metadata=\"" + j.metadata().asUtf8() + "\"";
        }
        if (e instanceof MembershipEvent.Updated u) {
            return head + " metadata=\"" + u.metadata().asUtf8() + "\"";
        }
        if (e instanceof MembershipEvent.Failed f && !failure(f.failure()).isEmpty()) {
            return head + " " + failure(f.failure());
        }
        return head;
    }

    private static String word(MembershipEvent e) {
        if (e instanceof MembershipEvent.Joined) {
            return "joined";
        } else if (e instanceof MembershipEvent.Suspected) {
            return "suspect";
        } else if (e instanceof MembershipEvent.Alive) {
            return "alive";
        } else if (e instanceof MembershipEvent.Failed) {
            return "dead";
        } else if (e instanceof MembershipEvent.Left) {
            return "left";
        }
        return "updated";
    }

    /** A coordinator's evidence: retries and the peers asked; empty for a suspicion that expired or gossip. */
    static String failure(FailureMessage f) {
        if (f.gossipPulse().isEmpty() && f.retryAttempts() == 0) {
            return "";
        }
        String asked = f.gossipPulse().isEmpty() ? "no peer asked"
                : "asked " + f.gossipPulse().stream().map(Identifier::toString).collect(Collectors.joining(","));
        return "(" + f.retryAttempts() + " unanswered retries, " + asked + ")";
    }
}
