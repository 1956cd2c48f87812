package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.internal.MemberTable;
import org.junit.jupiter.api.Test;

/** Update precedence, exhaustively: higher incarnation wins; at equal incarnation LEFT > DEAD > SUSPECT > ALIVE. */
class PrecedenceTest {

    private static final byte[] STATES = {MemberTable.PENDING, MemberTable.ALIVE, MemberTable.SUSPECT,
        MemberTable.DEAD, MemberTable.LEFT};

    @Test
    void exhaustively() {
        for (byte oldState : STATES) {
            for (byte newState : STATES) {
                for (int oldInc = 0; oldInc < 4; oldInc++) {
                    for (int newInc = 0; newInc < 4; newInc++) {
                        boolean expected = newInc > oldInc
                                || (newInc == oldInc && ProtocolNode.rank(newState) > ProtocolNode.rank(oldState));
                        assertEquals(expected, ProtocolNode.wins(newInc, newState, oldInc, oldState),
                                newState + "@" + newInc + " over " + oldState + "@" + oldInc);
                    }
                }
            }
        }
    }

    @Test
    void theDocumentedOrder() {
        assertTrue(ProtocolNode.wins(3, MemberTable.ALIVE, 2, MemberTable.DEAD), "a higher incarnation wins");
        assertFalse(ProtocolNode.wins(2, MemberTable.ALIVE, 2, MemberTable.SUSPECT));
        assertTrue(ProtocolNode.wins(2, MemberTable.SUSPECT, 2, MemberTable.ALIVE));
        assertTrue(ProtocolNode.wins(2, MemberTable.DEAD, 2, MemberTable.SUSPECT));
        assertTrue(ProtocolNode.wins(2, MemberTable.LEFT, 2, MemberTable.DEAD), "a goodbye outranks a verdict");
        assertFalse(ProtocolNode.wins(2, MemberTable.DEAD, 2, MemberTable.LEFT));
        assertFalse(ProtocolNode.wins(1, MemberTable.LEFT, 2, MemberTable.ALIVE), "a stale update loses");
        assertFalse(ProtocolNode.wins(2, MemberTable.DEAD, 2, MemberTable.DEAD), "idempotent");
    }

    @Test
    void mergingIsOrderIndependent() {
        // applying every permutation of a set of updates with the precedence rule ends in the same state
        int[][] updates = {{1, MemberTable.ALIVE}, {1, MemberTable.SUSPECT}, {2, MemberTable.ALIVE},
            {2, MemberTable.DEAD}, {0, MemberTable.LEFT}, {2, MemberTable.SUSPECT}};
        int[] perm = {0, 1, 2, 3, 4, 5};
        int[] expected = null;
        do {
            int inc = 0;
            byte st = MemberTable.PENDING;
            for (int i : perm) {
                if (ProtocolNode.wins(updates[i][0], (byte) updates[i][1], inc, st)) {
                    inc = updates[i][0];
                    st = (byte) updates[i][1];
                }
            }
            int[] result = {inc, st};
            if (expected == null) {
                expected = result;
            }
            assertEquals(expected[0], result[0]);
            assertEquals(expected[1], result[1]);
        } while (nextPermutation(perm));
        assertEquals(2, expected[0]);
        assertEquals(MemberTable.DEAD, expected[1]);
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }
}
