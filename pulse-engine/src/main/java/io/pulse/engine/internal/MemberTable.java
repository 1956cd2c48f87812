package io.pulse.engine.internal;

import io.pulse.api.Identifier;
import io.pulse.api.Metadata;
import io.pulse.api.State;
import java.util.Arrays;
import java.util.HashMap;

/**
 * A node's view of the membership: one slot per known member, stored as parallel arrays (no object per member
 * beyond its shared {@link Identifier}), about 80 bytes a member all told, so that a simulation of 10,000 nodes
 * that each know 10,000 members fits in memory.
 *
 * <p>Slots are reused after {@link #remove}; iteration goes by slot index, from 0 to {@link #highWater()}, and
 * skips free slots, so it is deterministic for a given history. IPv4 members are found by a 48-bit key read
 * straight from a packet, without building an {@code Identifier}.
 *
 * <p>Not thread-safe: only the node's event loop calls this.
 */
public final class MemberTable {

    /** State codes stored per slot. */
    public static final byte FREE = -1;
    public static final byte ALIVE = 0;
    public static final byte SUSPECT = 1;
    public static final byte DEAD = 2;
    public static final byte PENDING = 3;
    public static final byte LEFT = 4;

    private static final State[] STATES = {State.ALIVE, State.SUSPECT, State.DEAD, State.PENDING, State.LEFT};

    private Identifier[] ids;
    private int[] incarnation;
    private byte[] state;
    private long[] stateSinceNs;
    private long[] lastContactNs;
    private long[] firstContactNs;
    private Metadata[] metadata;
    private int[] rttUs;
    private Identifier[] accuser;
    /** Up to {@link Short#MAX_VALUE}: far above the largest retransmit limit the configuration allows (700). */
    private short[] bcastTransmits;
    private int[] bcastGen;

    private final LongIntMap ipv4Index;
    private final HashMap<Identifier, Integer> ipv6Index = new HashMap<>();
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int highWater;
    private int size;
    private int running;

    /** A table with room for {@code expected} members before it grows. */
    public MemberTable(int expected) {
        int cap = Math.max(8, expected);
        ids = new Identifier[cap];
        incarnation = new int[cap];
        state = new byte[cap];
        Arrays.fill(state, FREE);
        stateSinceNs = new long[cap];
        lastContactNs = new long[cap];
        firstContactNs = new long[cap];
        metadata = new Metadata[cap];
        rttUs = new int[cap];
        accuser = new Identifier[cap];
        bcastTransmits = new short[cap];
        bcastGen = new int[cap];
        ipv4Index = new LongIntMap(cap);
    }

    /** The lookup key of an IPv4 member: address (32 bits) then port (16 bits). */
    public static long ipv4Key(int address, int port) {
        return ((address & 0xffffffffL) << 16) | (port & 0xffff);
    }

    private static long ipv4Key(Identifier id) {
        int a = ((id.addressByte(0) & 0xff) << 24) | ((id.addressByte(1) & 0xff) << 16)
                | ((id.addressByte(2) & 0xff) << 8) | (id.addressByte(3) & 0xff);
        return ipv4Key(a, id.port());
    }

    /** The public state of a state code. */
    public static State toState(byte code) {
        return STATES[code];
    }

    /** The slot of {@code id}, or -1. */
    public int find(Identifier id) {
        if (id.isIpv6()) {
            Integer s = ipv6Index.get(id);
            return s == null ? -1 : s;
        }
        return ipv4Index.get(ipv4Key(id));
    }

    /** The slot of the IPv4 member with this key, or -1. */
    public int findIpv4(long key) {
        return ipv4Index.get(key);
    }

    /**
     * Adds a member in {@code initialState} at incarnation {@code inc}; it must not be present.
     *
     * @return its slot
     */
    public int add(Identifier id, byte initialState, int inc, long nowNs) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            if (highWater == ids.length) {
                grow();
            }
            slot = highWater++;
        }
        ids[slot] = id;
        incarnation[slot] = inc;
        state[slot] = initialState;
        stateSinceNs[slot] = nowNs;
        lastContactNs[slot] = -1;
        firstContactNs[slot] = -1;
        metadata[slot] = Metadata.EMPTY;
        rttUs[slot] = 0;
        accuser[slot] = null;
        bcastTransmits[slot] = -1;
        if (id.isIpv6()) {
            ipv6Index.put(id, slot);
        } else {
            ipv4Index.put(ipv4Key(id), slot);
        }
        size++;
        if (isRunning(initialState)) {
            running++;
        }
        return slot;
    }

    /** Forgets the member in {@code slot}. */
    public void remove(int slot) {
        Identifier id = ids[slot];
        if (id.isIpv6()) {
            ipv6Index.remove(id);
        } else {
            ipv4Index.remove(ipv4Key(id));
        }
        if (isRunning(state[slot])) {
            running--;
        }
        ids[slot] = null;
        metadata[slot] = null;
        accuser[slot] = null;
        state[slot] = FREE;
        bcastGen[slot]++;
        bcastTransmits[slot] = -1;
        size--;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
    }

    /** Sets the state of a slot and the time it changed. */
    public void setState(int slot, byte newState, long nowNs) {
        byte old = state[slot];
        if (isRunning(old)) {
            running--;
        }
        if (isRunning(newState)) {
            running++;
        }
        state[slot] = newState;
        stateSinceNs[slot] = nowNs;
    }

    private static boolean isRunning(byte s) {
        return s == ALIVE || s == SUSPECT;
    }

    /** Records contact with the member now. */
    public void touch(int slot, long nowNs) {
        if (firstContactNs[slot] < 0) {
            firstContactNs[slot] = nowNs;
        }
        lastContactNs[slot] = nowNs;
    }

    /** One past the highest slot ever used: iterate [0, highWater) and skip {@link #FREE} slots. */
    public int highWater() {
        return highWater;
    }

    /** Members in the table, in any state. */
    public int size() {
        return size;
    }

    /** Members ALIVE or SUSPECT. */
    public int running() {
        return running;
    }

    public Identifier id(int slot) {
        return ids[slot];
    }

    public byte state(int slot) {
        return state[slot];
    }

    public int incarnation(int slot) {
        return incarnation[slot];
    }

    public void setIncarnation(int slot, int inc) {
        incarnation[slot] = inc;
    }

    public long stateSinceNs(int slot) {
        return stateSinceNs[slot];
    }

    public long lastContactNs(int slot) {
        return lastContactNs[slot];
    }

    public long firstContactNs(int slot) {
        return firstContactNs[slot];
    }

    public Metadata metadata(int slot) {
        return metadata[slot];
    }

    public void setMetadata(int slot, Metadata m) {
        metadata[slot] = m;
    }

    /** Smoothed round trip in microseconds, 0 if never measured. */
    public int rttUs(int slot) {
        return rttUs[slot];
    }

    /** Folds one round trip into the smoothed estimate (EWMA, weight 1/8, as TCP's SRTT). */
    public void recordRtt(int slot, long rttNs) {
        int sample = (int) Math.max(1, Math.min(Integer.MAX_VALUE, rttNs / 1000));
        int old = rttUs[slot];
        rttUs[slot] = old == 0 ? sample : old + (sample - old) / 8;
    }

    /** Who accused the member of its current SUSPECT or DEAD state, or null. */
    public Identifier accuser(int slot) {
        return accuser[slot];
    }

    public void setAccuser(int slot, Identifier who) {
        accuser[slot] = who;
    }

    /** Times the member's current update was piggybacked, or -1 if none is pending. */
    public int bcastTransmits(int slot) {
        return bcastTransmits[slot];
    }

    /** @param t -1 (none pending) to {@link Short#MAX_VALUE} */
    public void setBcastTransmits(int slot, int t) {
        bcastTransmits[slot] = (short) t;
    }

    /** Generation of the member's pending update; bumped when a newer update replaces it. */
    public int bcastGen(int slot) {
        return bcastGen[slot];
    }

    public int bumpBcastGen(int slot) {
        return ++bcastGen[slot];
    }

    /** Makes room for {@code members} members without growing again (a bootstrap from a known list). */
    public void reserve(int members) {
        if (members > ids.length) {
            resize(members);
            ipv4Index.reserve(members);
        }
    }

    private void grow() {
        resize(ids.length * 2);
    }

    private void resize(int cap) {
        ids = Arrays.copyOf(ids, cap);
        incarnation = Arrays.copyOf(incarnation, cap);
        int old = state.length;
        state = Arrays.copyOf(state, cap);
        Arrays.fill(state, old, cap, FREE);
        stateSinceNs = Arrays.copyOf(stateSinceNs, cap);
        lastContactNs = Arrays.copyOf(lastContactNs, cap);
        firstContactNs = Arrays.copyOf(firstContactNs, cap);
        metadata = Arrays.copyOf(metadata, cap);
        rttUs = Arrays.copyOf(rttUs, cap);
        accuser = Arrays.copyOf(accuser, cap);
        bcastTransmits = Arrays.copyOf(bcastTransmits, cap);
        bcastGen = Arrays.copyOf(bcastGen, cap);
    }
}
