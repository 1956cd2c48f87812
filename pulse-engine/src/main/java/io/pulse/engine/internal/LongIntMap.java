package io.pulse.engine.internal;

import java.util.Arrays;

/**
 * An open-addressing map from non-negative {@code long} keys to {@code int} values, with linear probing and
 * backward-shift deletion: no boxing, no per-entry objects. Lookup order never depends on insertion history in a
 * way that is observable, so it is safe for deterministic simulation.
 *
 * <p>Not thread-safe.
 */
public final class LongIntMap {

    private static final long EMPTY = -1L;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    /** A map sized for about {@code expected} entries before it grows. */
    public LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 4 / 3)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        values = new int[cap];
        mask = cap - 1;
    }

    /** The value for {@code key}, or -1. */
    public int get(long key) {
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Maps {@code key} (non-negative) to {@code value}. */
    public void put(long key, int value) {
        if ((size + 1) * 4L > keys.length * 3L) { // load factor 0.75
            grow();
        }
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes {@code key}; returns its value or -1. */
    public int remove(long key) {
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == EMPTY) {
                return -1;
            }
            if (k == key) {
                int v = values[i];
                shiftBack(i);
                size--;
                return v;
            }
            i = (i + 1) & mask;
        }
    }

    /** Makes room for {@code entries} entries without growing again. */
    public void reserve(int entries) {
        while ((long) entries * 4 > (long) keys.length * 3) {
            grow();
        }
    }

    /** The number of entries. */
    public int size() {
        return size;
    }

    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == EMPTY) {
                keys[hole] = EMPTY;
                return;
            }
            int home = slot(k);
            // move k into the hole if its home is not cyclically within (hole, i]
            boolean between = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!between) {
                keys[hole] = k;
                values[hole] = values[i];
                hole = i;
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
