package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {

    private static final Identifier A = Identifier.parse("10.0.0.1:1");

    @Test
    void statusRejectsNegativeIncarnationAndNulls() {
        assertThrows(IllegalArgumentException.class, () -> new Status(A, State.ALIVE, -1, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Metadata.EMPTY));
        assertThrows(NullPointerException.class, () -> new Status(A, null, 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Metadata.EMPTY));
    }

    @Test
    void failureMessageCopiesItsList() {
        List<Identifier> asked = new ArrayList<>(List.of(A));
        FailureMessage m = new FailureMessage(A, State.DEAD, 3, 2, asked, Optional.empty(), Optional.empty(),
                Instant.EPOCH);
        asked.clear();
        assertEquals(List.of(A), m.gossipPulse());
        assertThrows(IllegalArgumentException.class, () -> new FailureMessage(A, State.DEAD, 0, -1, List.of(),
                Optional.empty(), Optional.empty(), Instant.EPOCH));
    }

    @Test
    void metadataIsACopy() {
        byte[] raw = {1, 2, 3};
        Metadata m = Metadata.of(raw);
        raw[0] = 9;
        assertEquals(1, m.byteAt(0));
        assertEquals(Metadata.EMPTY, Metadata.of(new byte[0]));
        assertEquals("zone=a", Metadata.ofUtf8("zone=a").asUtf8());
    }

    @Test
    void statesClassify() {
        assertEquals(true, State.SUSPECT.isRunning());
        assertEquals(false, State.LEFT.isRunning());
        assertEquals(true, State.LEFT.isGone());
        assertEquals(false, State.PENDING.isGone());
    }
}
