package io.pulse.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {

    private static final byte[] A = Keys.key(16, 1);
    private static final byte[] B = Keys.key(24, 2);
    private static final byte[] C = Keys.key(32, 3);

    private static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void keyIdIsTheFirstFourBytesOfSha256() throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(A);
        assertEquals(java.nio.ByteBuffer.wrap(d).getInt(), Keyring.keyId(A));
    }

    @Test
    void rejectsKeysThatAreNotAes() {
        for (int n : new int[] {0, 8, 15, 17, 20, 31, 33, 64}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keyring.of(new byte[n]));
            assertTrue(e.getMessage().contains(n + "-byte key") && e.getMessage().contains("16, 24 or 32"),
                    e.getMessage());
        }
        assertEquals(3, Keyring.of(A, B, C).size());
    }

    @Test
    void rejectsTheSameKeyTwice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keyring.of(A, B, A.clone()));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void rotationSteps() {
        Keyring k = Keyring.of(A);
        Keyring withB = k.withKey(B);
        assertEquals(List.of(Keyring.keyId(A), Keyring.keyId(B)), withB.keyIds());
        assertSame(withB, withB.withKey(B.clone()), "adding a present key changes nothing");
        Keyring bPrimary = withB.withPrimary(Keyring.keyId(B));
        assertEquals(Keyring.keyId(B), bPrimary.primaryKeyId());
        assertTrue(bPrimary.contains(Keyring.keyId(A)), "the former primary still opens");
        Keyring onlyB = bPrimary.withoutKey(Keyring.keyId(A));
        assertEquals(List.of(Keyring.keyId(B)), onlyB.keyIds());
        assertSame(onlyB, onlyB.withoutKey(Keyring.keyId(C)), "removing an absent key changes nothing");
        assertThrows(IllegalArgumentException.class, () -> onlyB.withoutKey(Keyring.keyId(B)), "not the primary");
        assertThrows(IllegalArgumentException.class, () -> onlyB.withPrimary(Keyring.keyId(C)), "absent");
        assertEquals(Keyring.keyId(C), onlyB.withPrimary(C).primaryKeyId());
        assertEquals(Keyring.keyId(A), k.primaryKeyId(), "keyrings are immutable");
    }

    @Test
    void toStringShowsIdsNotKeys() {
        String s = Keyring.of(A, B).toString();
        assertTrue(s.contains(Keyring.hex(Keyring.keyId(A))) && s.contains(Keyring.hex(Keyring.keyId(B))), s);
        assertFalse(s.contains(b64(A)), s);
    }

    @Test
    void parsesTheDocumentedFileFormat(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("keyring");
        Files.writeString(f, "# pulse keyring\n\n  " + b64(B) + "  \r\n# old key\n" + b64(A) + "\n",
                StandardCharsets.UTF_8);
        Keyring k = Keyring.load(f);
        assertEquals(List.of(Keyring.keyId(B), Keyring.keyId(A)), k.keyIds(), "first key primary, in order");
    }

    @Test
    void theDocumentedExampleParses() {
        Keyring k = Keyring.parse("# pulse keyring: the first key seals, all open\n3q2+7wAAAAAAAAAAAAAAAA==\n"
                + "9bW1IdJ6xDlbpYj+Pqj1Ww==\n", "example");
        assertEquals(2, k.size());
    }

    @Test
    void badFilesAreNamedWithTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("keys");
        Files.writeString(f, "# comment\n" + b64(A) + "\nnot base64!\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keyring.load(f));
        assertTrue(e.getMessage().contains(f + " line 3") && e.getMessage().contains("base64"), e.getMessage());

        Files.writeString(f, b64(A) + "\n" + b64(new byte[20]) + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> Keyring.load(f));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("20-byte"), e.getMessage());

        Files.writeString(f, b64(A) + "\n\n" + b64(A) + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> Keyring.load(f));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("twice"), e.getMessage());

        Files.writeString(f, "# only comments\n\n");
        e = assertThrows(IllegalArgumentException.class, () -> Keyring.load(f));
        assertTrue(e.getMessage().contains("no keys"), e.getMessage());

        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
        e = assertThrows(IllegalArgumentException.class, () -> Keyring.load(f));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());

        Files.write(f, new byte[Keyring.MAX_FILE_BYTES + 1]);
        e = assertThrows(IllegalArgumentException.class, () -> Keyring.load(f));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }
}
