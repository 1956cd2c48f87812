package io.pulse.engine.internal;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * SWIM's shuffled round-robin probe order: every running member once per round, in an order reshuffled each round,
 * so that a member is probed at least once every 2n − 1 periods. A member that joins mid-round is inserted at a
 * random place among those not yet probed this round.
 *
 * <p>Not thread-safe: only the node's event loop calls this.
 */
public final class ProbeSchedule {

    private final MemberTable table;
    private final RandomGenerator random;
    private int[] order = new int[16];
    private int size;
    private int next;

    public ProbeSchedule(MemberTable table, RandomGenerator random) {
        this.table = table;
        this.random = random;
    }

    /**
     * The next member to probe, skipping {@code self} and members no longer running; reshuffles at the end of a
     * round. Returns -1 when there is nobody to probe.
     */
    public int nextTarget(int self) {
        for (int attempts = 0; attempts < 2; attempts++) {
            while (next < size) {
                int slot = order[next++];
                if (slot != self && isRunning(slot)) {
                    return slot;
                }
            }
            rebuild(self);
        }
        return -1;
    }

    /** Adds a member that just became running to the unprobed part of the current round. */
    public void insert(int slot) {
        if (size == order.length) {
            order = Arrays.copyOf(order, size * 2);
        }
        int pos = next + random.nextInt(size - next + 1);
        order[size++] = order[pos];
        order[pos] = slot;
    }

    private boolean isRunning(int slot) {
        byte s = table.state(slot);
        return s == MemberTable.ALIVE || s == MemberTable.SUSPECT;
    }

    private void rebuild(int self) {
        size = 0;
        next = 0;
        int hw = table.highWater();
        if (order.length < hw) {
            order = new int[Integer.highestOneBit(hw) << 1];
        }
        for (int slot = 0; slot < hw; slot++) {
            if (slot != self && isRunning(slot)) {
                order[size++] = slot;
            }
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
