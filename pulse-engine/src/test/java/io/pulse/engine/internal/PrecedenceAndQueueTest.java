package io.pulse.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.api.Identifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrecedenceAndQueueTest {

    private static Identifier id(int i) {
        return Identifier.of(new byte[] {10, 0, (byte) (i >>> 8), (byte) i}, 7000);
    }

    @Test
    void broadcastQueueSendsLeastTransmittedNewestFirstAndRetiresAtTheLimit() {
        MemberTable table = new MemberTable(8);
        int a = table.add(id(1), MemberTable.ALIVE, 0, 0);
        int b = table.add(id(2), MemberTable.ALIVE, 0, 0);
        int c = table.add(id(3), MemberTable.ALIVE, 0, 0);
        BroadcastQueue q = new BroadcastQueue(table);
        q.enqueue(a);
        q.enqueue(b);
        List<Integer> order = new ArrayList<>();
        BroadcastQueue.UpdateWriter w = new BroadcastQueue.UpdateWriter() {
            @Override
            public int bytes(int slot) {
                return 10;
            }

            @Override
            public void write(int slot) {
                order.add(slot);
            }
        };
        assertEquals(1, q.fill(w, 3, 10, -1)); // room for one: the newest, b
        assertEquals(List.of(b), order);
        q.enqueue(c);
        order.clear();
        q.fill(w, 3, 100, -1); // c (0 sends) and a (0 sends) before b (1 send); newest first among equals
        assertEquals(List.of(c, a, b), order);
        order.clear();
        q.fill(w, 3, 100, -1);
        q.fill(w, 3, 100, -1);
        assertEquals(0, q.pending(), "each retired after 3 sends");
        order.clear();
        q.fill(w, 3, 100, -1);
        assertEquals(List.of(), order);
    }

    @Test
    void aNewerUpdateReplacesThePendingOneAndStartsAgain() {
        MemberTable table = new MemberTable(8);
        int a = table.add(id(1), MemberTable.ALIVE, 0, 0);
        BroadcastQueue q = new BroadcastQueue(table);
        List<Integer> sent = new ArrayList<>();
        BroadcastQueue.UpdateWriter w = new BroadcastQueue.UpdateWriter() {
            @Override
            public int bytes(int slot) {
                return 10;
            }

            @Override
            public void write(int slot) {
                sent.add(slot);
            }
        };
        q.enqueue(a);
        q.fill(w, 2, 100, -1);
        q.enqueue(a); // the member changed again
        assertEquals(1, q.pending());
        q.fill(w, 2, 100, -1);
        q.fill(w, 2, 100, -1);
        q.fill(w, 2, 100, -1);
        assertEquals(3, sent.size(), "one send of the old update, two of the new");
    }

    @Test
    void probeScheduleVisitsEveryRunningMemberOncePerRound() {
        MemberTable table = new MemberTable(64);
        int self = table.add(id(0), MemberTable.ALIVE, 0, 0);
        for (int i = 1; i <= 40; i++) {
            table.add(id(i), i % 10 == 0 ? MemberTable.DEAD : MemberTable.ALIVE, 0, 0);
        }
        ProbeSchedule schedule = new ProbeSchedule(table, new SplittableRandom(1));
        for (int round = 0; round < 5; round++) {
            Map<Integer, Integer> seen = new HashMap<>();
            for (int k = 0; k < 36; k++) {
                int t = schedule.nextTarget(self);
                assertTrue(t != self && table.state(t) == MemberTable.ALIVE);
                seen.merge(t, 1, Integer::sum);
            }
            assertEquals(36, seen.size(), "round " + round + " visits each of the 36 running members once");
        }
    }

    @Test
    void localHealthStaysWithinItsBoundsAndStretchesTime() {
        LocalHealth h = new LocalHealth(8, true);
        h.apply(-1);
        assertEquals(0, h.score());
        for (int i = 0; i < 20; i++) {
            h.apply(1);
        }
        assertEquals(8, h.score());
        assertEquals(9_000L, h.scale(1_000L));
        h.apply(-3);
        assertEquals(5, h.score());
        LocalHealth off = new LocalHealth(8, false);
        off.apply(5);
        assertEquals(0, off.score());
    }

    @Test
    void longIntMapBehavesLikeAMap() {
        SplittableRandom r = new SplittableRandom(5);
        LongIntMap m = new LongIntMap(4);
        Map<Long, Integer> ref = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            long k = r.nextLong(3000);
            switch (r.nextInt(3)) {
                case 0 -> {
                    m.put(k, i);
                    ref.put(k, i);
                }
                case 1 -> assertEquals(ref.containsKey(k) ? ref.remove(k) : -1, m.remove(k));
                default -> assertEquals(ref.getOrDefault(k, -1), m.get(k));
            }
            assertEquals(ref.size(), m.size());
        }
    }

    @Test
    void timersFireInDeadlineOrderAndEqualDeadlinesInSetOrder() {
        TimerQueue q = new TimerQueue();
        q.add(50, 1, 0, 0);
        q.add(10, 2, 0, 0);
        q.add(50, 3, 0, 0);
        q.add(30, 4, 0, 0);
        q.add(10, 5, 0, 0);
        List<Integer> kinds = new ArrayList<>();
        while (q.due(100)) {
            kinds.add(q.peekKind());
            q.pop();
        }
        assertEquals(List.of(2, 5, 4, 1, 3), kinds);
    }
}
