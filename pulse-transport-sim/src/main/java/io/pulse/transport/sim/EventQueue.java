package io.pulse.transport.sim;

import java.util.Arrays;

/**
 * The simulator's single queue of timed events: a binary min-heap ordered by (virtual time, sequence number), so
 * that events at equal times run in the order they were scheduled, whatever the heap's layout. Keys live in
 * primitive arrays; each event carries an int kind, an int node, an int argument (packed into one long, so that a
 * heap move copies four slots, not six) and an optional object.
 *
 * <p>Not thread-safe: a simulation runs on one thread.
 */
final class EventQueue {

    private long[] time = new long[1024];
    private long[] seq = new long[1024];
    private long[] packed = new long[1024];
    private Object[] payload = new Object[1024];
    private int size;
    private long nextSeq;

    // the event last popped
    long topTime;
    int topKind;
    int topNode;
    int topArg;
    Object topPayload;

    /**
     * @param eventKind in [0, 15]
     * @param eventNode in [-1, 2^24 - 2]
     */
    void add(long atNs, int eventKind, int eventNode, int eventArg, Object eventPayload) {
        if (size == time.length) {
            int cap = size * 2;
            time = Arrays.copyOf(time, cap);
            seq = Arrays.copyOf(seq, cap);
            packed = Arrays.copyOf(packed, cap);
            payload = Arrays.copyOf(payload, cap);
        }
        long p = ((long) eventKind << 56) | (((long) (eventNode + 1) & 0xFFFFFFL) << 32) | (eventArg & 0xFFFFFFFFL);
        int i = size++;
        long s = nextSeq++;
        long[] tm = time;
        long[] sq = seq;
        // sift up, moving parents down into the hole
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long pt = tm[parent];
            if (pt < atNs || (pt == atNs && sq[parent] < s)) {
                break;
            }
            tm[i] = pt;
            sq[i] = sq[parent];
            packed[i] = packed[parent];
            payload[i] = payload[parent];
            i = parent;
        }
        tm[i] = atNs;
        sq[i] = s;
        packed[i] = p;
        payload[i] = eventPayload;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    long peekTime() {
        return time[0];
    }

    /** Removes the earliest event into the {@code top*} fields. */
    void pop() {
        long[] tm = time;
        long[] sq = seq;
        topTime = tm[0];
        long p0 = packed[0];
        topKind = (int) (p0 >>> 56);
        topNode = (int) ((p0 >>> 32) & 0xFFFFFFL) - 1;
        topArg = (int) p0;
        topPayload = payload[0];
        int last = --size;
        if (last == 0) {
            payload[0] = null;
            return;
        }
        long t = tm[last];
        long s = sq[last];
        long pk = packed[last];
        Object o = payload[last];
        payload[last] = null;
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = l;
            long mt = tm[l];
            if (r < size) {
                long rt = tm[r];
                if (rt < mt || (rt == mt && sq[r] < sq[l])) {
                    m = r;
                    mt = rt;
                }
            }
            if (t < mt || (t == mt && s < sq[m])) {
                break;
            }
            tm[i] = mt;
            sq[i] = sq[m];
            packed[i] = packed[m];
            payload[i] = payload[m];
            i = m;
        }
        tm[i] = t;
        sq[i] = s;
        packed[i] = pk;
        payload[i] = o;
    }
}
