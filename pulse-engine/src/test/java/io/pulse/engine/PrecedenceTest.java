package io.pulse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.internal.MemberTable;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Update precedence, exhaustively: an accusation (SUSPECT or DEAD) of a member held DEAD or LEFT never wins;
 * otherwise a higher incarnation wins, and at equal incarnation LEFT > DEAD > SUSPECT > ALIVE.
 */
class PrecedenceTest {

    private static final byte[] STATES = {MemberTable.PENDING, MemberTable.ALIVE, MemberTable.SUSPECT,
        MemberTable.DEAD, MemberTable.LEFT};

    @Test
    void exhaustively() {
        for (byte oldState : STATES) {
            for (byte newState : STATES) {
                for (int oldInc = 0; oldInc < 4; oldInc++) {
                    for (int newInc = 0; newInc < 4; newInc++) {
                        boolean accusesTheOut = isAccusation(newState) && isOut(oldState);
                        boolean expected = !accusesTheOut && (newInc > oldInc
                                || (newInc == oldInc && ProtocolNode.rank(newState) > ProtocolNode.rank(oldState)));
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
        // the dead and the gone are revived by ALIVE at a higher incarnation only, never moved by an accusation
        assertFalse(ProtocolNode.wins(3, MemberTable.SUSPECT, 2, MemberTable.DEAD), "no way back through SUSPECT");
        assertFalse(ProtocolNode.wins(3, MemberTable.DEAD, 2, MemberTable.DEAD), "no second failure");
        assertFalse(ProtocolNode.wins(3, MemberTable.SUSPECT, 2, MemberTable.LEFT));
        assertFalse(ProtocolNode.wins(3, MemberTable.DEAD, 2, MemberTable.LEFT), "a member that left never fails");
        assertTrue(ProtocolNode.wins(3, MemberTable.ALIVE, 2, MemberTable.LEFT), "it may come back");
        assertFalse(ProtocolNode.wins(2, MemberTable.ALIVE, 2, MemberTable.DEAD));
        assertTrue(ProtocolNode.wins(3, MemberTable.LEFT, 2, MemberTable.DEAD), "a goodbye still replaces a verdict");
    }

    @Test
    void mergingIsOrderIndependent() {
        // applying every permutation of a set of updates with the precedence rule ends in the same state. (This set
        // once held a LEFT at incarnation 0: since an accusation of a member held LEFT no longer wins, a LEFT below
        // an accusation of the set makes the order matter, as orderMattersOnlyWhenAnAccusationOutbidsAVerdict
        // shows; here the stale update is an ALIVE.)
        int[][] updates = {{1, MemberTable.ALIVE}, {1, MemberTable.SUSPECT}, {2, MemberTable.ALIVE},
            {2, MemberTable.DEAD}, {0, MemberTable.ALIVE}, {2, MemberTable.SUSPECT}};
        int[] perm = {0, 1, 2, 3, 4, 5};
        int[] expected = null;
        do {
            int[] result = merge(updates, perm);
            if (expected == null) {
                expected = result;
            }
            assertEquals(expected[0], result[0]);
            assertEquals(expected[1], result[1]);
        } while (nextPermutation(perm));
        assertEquals(2, expected[0]);
        assertEquals(MemberTable.DEAD, expected[1]);
    }

    @Test
    void orderMattersOnlyWhenAnAccusationOutbidsAVerdict() {
        // every set of three updates (incarnations 0 to 2, the four states on the wire) merged in every order from
        // PENDING@0: the same result unless an accusation has a higher incarnation than a DEAD or LEFT of the set,
        // the one case wins() documents
        byte[] wire = {MemberTable.ALIVE, MemberTable.SUSPECT, MemberTable.DEAD, MemberTable.LEFT};
        int[][] all = new int[12][];
        for (int i = 0; i < 12; i++) {
            all[i] = new int[] {i / 4, wire[i % 4]};
        }
        int orderDependent = 0;
        for (int a = 0; a < 12; a++) {
            for (int b = a + 1; b < 12; b++) {
                for (int c = b + 1; c < 12; c++) {
                    int[][] set = {all[a], all[b], all[c]};
                    int[] perm = {0, 1, 2};
                    int[] first = merge(set, perm);
                    boolean same = true;
                    while (nextPermutation(perm)) {
                        int[] r = merge(set, perm);
                        same &= r[0] == first[0] && r[1] == first[1];
                    }
                    boolean outbid = false;
                    for (int[] accusation : set) {
                        for (int[] verdict : set) {
                            outbid |= isAccusation((byte) accusation[1]) && isOut((byte) verdict[1])
                                    && accusation[0] > verdict[0];
                        }
                    }
                    assertTrue(same || outbid, "order matters for " + Arrays.deepToString(set));
                    orderDependent += same ? 0 : 1;
                }
            }
        }
        assertTrue(orderDependent > 0, "the documented case does occur");
        // the documented example
        int[][] example = {{3, MemberTable.SUSPECT}, {1, MemberTable.DEAD}};
        assertEquals(MemberTable.SUSPECT, merge(example, new int[] {0, 1})[1]);
        assertEquals(MemberTable.DEAD, merge(example, new int[] {1, 0})[1]);
    }

    private static int[] merge(int[][] updates, int[] order) {
        int inc = 0;
        byte st = MemberTable.PENDING;
        for (int i : order) {
            if (ProtocolNode.wins(updates[i][0], (byte) updates[i][1], inc, st)) {
                inc = updates[i][0];
                st = (byte) updates[i][1];
            }
        }
        return new int[] {inc, st};
    }

    private static boolean isAccusation(byte state) {
        return state == MemberTable.SUSPECT || state == MemberTable.DEAD;
    }

    private static boolean isOut(byte state) {
        return state == MemberTable.DEAD || state == MemberTable.LEFT;
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
