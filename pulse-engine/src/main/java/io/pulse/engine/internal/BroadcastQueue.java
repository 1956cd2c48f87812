package io.pulse.engine.internal;

import java.util.Arrays;

/**
 * What rides piggyback, and how often: one pending update per member (a newer update of the same member replaces
 * the older), sent least-transmitted first and, among equals, newest first; each update goes out at most
 * {@link Formulas#retransmitLimit} times.
 *
 * <p>Entries live in one stack per transmit count, allocated when first used; an entry is a (generation, slot)
 * pair, and an entry whose
 * generation no longer matches the member's is stale and skipped. The update's content is read from the
 * {@link MemberTable} at send time, so it is always the member's latest state.
 *
 * <p>Not thread-safe: only the node's event loop calls this.
 */
public final class BroadcastQueue {

    /** Writes one member's current update into a frame. */
    public interface UpdateWriter {
        /** The encoded size of the member's update, header included. */
        int bytes(int slot);

        /** Appends the member's update to the frame. */
        void write(int slot);
    }

    private final MemberTable table;
    private long[][] stacks = new long[8][];
    private int[] counts = new int[8];
    private long[] promoted = new long[64];
    private int live;

    public BroadcastQueue(MemberTable table) {
        this.table = table;
    }

    /** Queues the member's current state for dissemination, replacing any older pending update of it. */
    public void enqueue(int slot) {
        if (table.bcastTransmits(slot) < 0) {
            live++;
        }
        int gen = table.bumpBcastGen(slot);
        table.setBcastTransmits(slot, 0);
        push(0, pack(gen, slot));
    }

    /** Forgets the member's pending update (the member is being removed). */
    public void forget(int slot) {
        if (table.bcastTransmits(slot) >= 0) {
            live--;
            table.setBcastTransmits(slot, -1);
        }
        table.bumpBcastGen(slot);
    }

    /** Updates still to be sent at least once more. */
    public int pending() {
        return live;
    }

    /** Whether the member has an update that was never sent. */
    public boolean isFresh(int slot) {
        return table.bcastTransmits(slot) == 0;
    }

    /**
     * Fills the frame with pending updates while they fit, least-transmitted and newest first.
     *
     * @param limit        the retransmit limit for the current cluster size
     * @param budget       bytes available
     * @param skipSlot     a member whose update was already written by the caller (or -1)
     * @return updates written
     */
    public int fill(UpdateWriter writer, int limit, int budget, int skipSlot) {
        int written = 0;
        int promotedCount = 0;
        outer:
        for (int t = 0; t < counts.length; t++) {
            long[] stack = stacks[t];
            while (counts[t] > 0) {
                long e = stack[--counts[t]];
                int slot = (int) e;
                int gen = (int) (e >>> 32);
                if (table.bcastGen(slot) != gen || table.bcastTransmits(slot) != t) {
                    continue; // stale
                }
                if (t >= limit) {
                    table.setBcastTransmits(slot, -1);
                    live--;
                    continue;
                }
                if (slot == skipSlot) {
                    if (promotedCount == promoted.length) {
                        promoted = Arrays.copyOf(promoted, promotedCount * 2);
                    }
                    promoted[promotedCount++] = e; // the caller sent it already: re-pushed below, unchanged
                    continue;
                }
                int size = writer.bytes(slot);
                if (size > budget) {
                    counts[t]++; // put it back and stop: the frame is full
                    break outer;
                }
                writer.write(slot);
                budget -= size;
                written++;
                if (promotedCount == promoted.length) {
                    promoted = Arrays.copyOf(promoted, promotedCount * 2);
                }
                promoted[promotedCount++] = e;
                table.setBcastTransmits(slot, t + 1);
            }
        }
        for (int i = 0; i < promotedCount; i++) {
            long e = promoted[i];
            int slot = (int) e;
            int t = table.bcastTransmits(slot);
            if (t >= limit) {
                table.setBcastTransmits(slot, -1);
                live--;
            } else {
                push(t, e);
            }
        }
        return written;
    }

    /** Counts one transmission of the member's update done outside {@link #fill} (the buddy system). */
    public void countTransmit(int slot, int limit) {
        int t = table.bcastTransmits(slot);
        if (t < 0) {
            return;
        }
        int gen = table.bumpBcastGen(slot);
        if (t + 1 >= limit) {
            table.setBcastTransmits(slot, -1);
            live--;
        } else {
            table.setBcastTransmits(slot, t + 1);
            push(t + 1, pack(gen, slot));
        }
    }

    private static long pack(int gen, int slot) {
        return ((long) gen << 32) | (slot & 0xffffffffL);
    }

    private void push(int t, long e) {
        if (t >= counts.length) {
            int n = Math.max(t + 1, counts.length * 2);
            stacks = Arrays.copyOf(stacks, n);
            counts = Arrays.copyOf(counts, n);
        }
        if (stacks[t] == null) {
            stacks[t] = new long[16];
        } else if (counts[t] == stacks[t].length) {
            stacks[t] = Arrays.copyOf(stacks[t], counts[t] * 2);
        }
        stacks[t][counts[t]++] = e;
    }
}
