package io.pulse.engine;

import io.pulse.api.Identifier;
import io.pulse.api.MembershipEvent;
import io.pulse.api.PulseConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures the heap a member entry costs in one node's view: identities shared (as the simulator shares them),
 * everything else the node's own. Run with
 * {@code java -cp <test classpath> io.pulse.engine.MemberFootprint [members]}; not a test, because heap readings
 * after System.gc() are estimates.
 */
public final class MemberFootprint {

    private MemberFootprint() {
    }

    public static void main(String[] args) {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<Identifier> ids = new ArrayList<>(members);
        for (int i = 0; i < members; i++) {
            ids.add(Identifier.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 7946));
        }
        Effects none = new Effects() {
            @Override
            public void send(Identifier to, ByteBuffer frame) {
            }

            @Override
            public void publish(MembershipEvent event) {
            }
        };
        PulseConfig config = PulseConfig.lan().toBuilder().directMonitorThreshold(0).build();
        long before = usedAfterGc();
        ProtocolNode node = new ProtocolNode(Identifier.parse("10.255.255.254:7946"), config, Role.FULL,
                new SplittableRandom(1), none, Instant.EPOCH, 1400, Interner.NONE);
        node.bootstrap(0, ids);
        node.start(0);
        long after = usedAfterGc();
        System.out.printf("%d members: %.1f bytes per member entry (identities shared, not counted)%n", members,
                (after - before) / (double) members);
        if (node.knownMembers() != members + 1) {
            throw new AssertionError("members: " + node.knownMembers());
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
