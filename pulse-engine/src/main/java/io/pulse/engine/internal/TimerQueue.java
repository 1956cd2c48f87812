package io.pulse.engine.internal;

import java.util.Arrays;

/**
 * Timers as data: a binary min-heap of (deadline, sequence) entries, each carrying a kind, an argument and a
 * token. Entries are never removed early: an owner that no longer wants a timer changes the token it expects, and
 * the stale entry is ignored when it comes due. Equal deadlines fire in the order they were set.
 *
 * <p>Not thread-safe: only the node's event loop calls this.
 */
public final class TimerQueue {

    private long[] deadline = new long[64];
    private long[] seq = new long[64];
    private int[] kind = new int[64];
    private int[] arg = new int[64];
    private long[] token = new long[64];
    private int size;
    private long nextSeq;

    /** Sets a timer for {@code deadlineNs}. */
    public void add(long deadlineNs, int timerKind, int timerArg, long timerToken) {
        if (size == deadline.length) {
            int cap = size * 2;
            deadline = Arrays.copyOf(deadline, cap);
            seq = Arrays.copyOf(seq, cap);
            kind = Arrays.copyOf(kind, cap);
            arg = Arrays.copyOf(arg, cap);
            token = Arrays.copyOf(token, cap);
        }
        int i = size++;
        deadline[i] = deadlineNs;
        seq[i] = nextSeq++;
        kind[i] = timerKind;
        arg[i] = timerArg;
        token[i] = timerToken;
        siftUp(i);
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when no timer is set. */
    public long nextDeadlineNs() {
        return size == 0 ? Long.MAX_VALUE : deadline[0];
    }

    /** Whether a timer is due at {@code nowNs}. */
    public boolean due(long nowNs) {
        return size > 0 && deadline[0] <= nowNs;
    }

    /** Kind of the earliest timer. */
    public int peekKind() {
        return kind[0];
    }

    /** Argument of the earliest timer. */
    public int peekArg() {
        return arg[0];
    }

    /** Token of the earliest timer. */
    public long peekToken() {
        return token[0];
    }

    /** Removes the earliest timer. */
    public void pop() {
        int last = --size;
        if (last > 0) {
            move(last, 0);
            siftDown(0);
        }
    }

    /** Whether no timer is set. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Timers set and not yet popped, stale ones included. */
    public int size() {
        return size;
    }

    private boolean less(int a, int b) {
        return deadline[a] < deadline[b] || (deadline[a] == deadline[b] && seq[a] < seq[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(i, p)) {
                return;
            }
            swap(i, p);
            i = p;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int m = l + 1 < size && less(l + 1, l) ? l + 1 : l;
            if (!less(m, i)) {
                return;
            }
            swap(i, m);
            i = m;
        }
    }

    private void move(int from, int to) {
        deadline[to] = deadline[from];
        seq[to] = seq[from];
        kind[to] = kind[from];
        arg[to] = arg[from];
        token[to] = token[from];
    }

    private void swap(int a, int b) {
        long d = deadline[a];
        deadline[a] = deadline[b];
        deadline[b] = d;
        long s = seq[a];
        seq[a] = seq[b];
        seq[b] = s;
        int k = kind[a];
        kind[a] = kind[b];
        kind[b] = k;
        int g = arg[a];
        arg[a] = arg[b];
        arg[b] = g;
        long t = token[a];
        token[a] = token[b];
        token[b] = t;
    }
}
