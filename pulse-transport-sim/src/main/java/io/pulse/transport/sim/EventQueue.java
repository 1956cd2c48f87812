package io.pulse.transport.sim;

import java.util.Arrays;

/**
 * The simulator's single queue of timed events: a binary min-heap ordered by (virtual time, sequence number), so
 * that events at equal times run in the order they were scheduled, whatever the heap's layout. Keys live in
 * primitive arrays; each event carries an int kind, an int node, an int argument and an optional object.
 *
 * <p>Not thread-safe: a simulation runs on one thread.
 */
final class EventQueue {

    private long[] time = new long[1024];
    private long[] seq = new long[1024];
    private int[] kind = new int[1024];
    private int[] node = new int[1024];
    private int[] arg = new int[1024];
    private Object[] payload = new Object[1024];
    private int size;
    private long nextSeq;

    // the event last popped
    long topTime;
    int topKind;
    int topNode;
    int topArg;
    Object topPayload;

    void add(long atNs, int eventKind, int eventNode, int eventArg, Object eventPayload) {
        if (size == time.length) {
            int cap = size * 2;
            time = Arrays.copyOf(time, cap);
            seq = Arrays.copyOf(seq, cap);
            kind = Arrays.copyOf(kind, cap);
            node = Arrays.copyOf(node, cap);
            arg = Arrays.copyOf(arg, cap);
            payload = Arrays.copyOf(payload, cap);
        }
        int i = size++;
        long s = nextSeq++;
        // sift up, moving parents down into the hole
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (time[p] < atNs || (time[p] == atNs && seq[p] < s)) {
                break;
            }
            copy(p, i);
            i = p;
        }
        time[i] = atNs;
        seq[i] = s;
        kind[i] = eventKind;
        node[i] = eventNode;
        arg[i] = eventArg;
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
        topTime = time[0];
        topKind = kind[0];
        topNode = node[0];
        topArg = arg[0];
        topPayload = payload[0];
        int last = --size;
        if (last == 0) {
            payload[0] = null;
            return;
        }
        long t = time[last];
        long s = seq[last];
        int k = kind[last];
        int n = node[last];
        int a = arg[last];
        Object o = payload[last];
        payload[last] = null;
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                break;
            }
            int r = l + 1;
            int m = r < size && (time[r] < time[l] || (time[r] == time[l] && seq[r] < seq[l])) ? r : l;
            if (t < time[m] || (t == time[m] && s < seq[m])) {
                break;
            }
            copy(m, i);
            i = m;
        }
        time[i] = t;
        seq[i] = s;
        kind[i] = k;
        node[i] = n;
        arg[i] = a;
        payload[i] = o;
    }

    private void copy(int from, int to) {
        time[to] = time[from];
        seq[to] = seq[from];
        kind[to] = kind[from];
        node[to] = node[from];
        arg[to] = arg[from];
        payload[to] = payload[from];
    }
}
