package io.pulse.transport.udp;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys a transport seals and opens datagrams with: one <em>primary</em> key that seals, and any number of
 * further keys that only open, so that keys rotate across a live cluster without a lost datagram.
 *
 * <p><b>Rotation</b>, node by node, waiting for every node to finish one step before the next: install the new key
 * B as an opening key everywhere ({@link #withKey(byte[])}); make B primary everywhere ({@link #withPrimary(int)}),
 * after which every node seals with B and still opens A from nodes not yet switched; remove A everywhere
 * ({@link #withoutKey(int)}). A live {@link UdpTransport} takes the new keyring with
 * {@link UdpTransport#keyring(Keyring)} or {@link UdpTransport#updateKeyring(java.util.function.UnaryOperator)}.
 *
 * <p><b>Keys</b> are AES keys of 16, 24 or 32 bytes (128, 192 or 256 bits). Each is named on the wire by its
 * <em>key id</em>: the first four bytes of its SHA-256 digest, big-endian ({@link #keyId(byte[])}). Two keys of one
 * keyring may not share an id. The id reveals nothing useful about the key, and neither does {@link #toString()},
 * which shows only ids.
 *
 * <p><b>File format</b> ({@link #load(Path)}): UTF-8 text, one standard base64 key (RFC 4648, with padding) per
 * line; the first key is the primary; blank lines and lines whose first non-blank character is {@code #} are
 * ignored; leading and trailing blanks are ignored. At most 64 KiB. For example:
 * <pre>
 * # pulse keyring: the first key seals, all open
 * 3q2+7wAAAAAAAAAAAAAAAA==
 * 9bW1IdJ6xDlbpYj+Pqj1Ww==
 * </pre>
 * Keep the file readable by the node's user only. Keys come from such a file or from this API, never from a command
 * line (where any local user could read them).
 *
 * <p>Instances are immutable and safe to share between threads; every {@code with...} method returns a new keyring.
 */
public final class Keyring {

    /** Largest keyring file {@link #load(Path)} reads, in bytes. */
    public static final int MAX_FILE_BYTES = 64 * 1024;

    private final Key[] keys; // keys[0] is the primary

    private Keyring(Key[] keys) {
        this.keys = keys;
    }

    /**
     * A keyring with a primary key and further opening keys.
     *
     * @param primary the key that seals (and opens); copied
     * @param others  keys that only open; copied
     * @throws IllegalArgumentException if a key is not 16, 24 or 32 bytes long, or two keys share a key id
     */
    public static Keyring of(byte[] primary, byte[]... others) {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(others, "others");
        List<Key> list = new ArrayList<>(1 + others.length);
        list.add(Key.of(primary, "primary key"));
        for (int i = 0; i < others.length; i++) {
            String what = "key " + (i + 1);
            add(list, Key.of(Objects.requireNonNull(others[i], "others[" + i + "]"), what), what);
        }
        return new Keyring(list.toArray(new Key[0]));
    }

    /**
     * Reads a keyring file in the format described above.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if the content is not a keyring; the message names the file and the line
     */
    public static Keyring load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + ": " + size + " bytes is too large for a keyring file (at most "
                    + MAX_FILE_BYTES + ")");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses the text of a keyring file, for keys held somewhere else than a file (a secret store).
     *
     * @param text   the file's content
     * @param source what to call the text in error messages, such as its path
     * @throws IllegalArgumentException if the text is not a keyring; the message names the source and the line
     */
    public static Keyring parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        List<Key> list = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": not a base64 key (" + e.getMessage() + ")");
            }
            try {
                add(list, Key.of(raw, where), where);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException(source + ": no keys (expected one base64 AES key per line, "
                    + "the first being the primary)");
        }
        return new Keyring(list.toArray(new Key[0]));
    }

    /** The key id of an AES key: the first four bytes of its SHA-256 digest, big-endian. */
    public static int keyId(byte[] key) {
        Objects.requireNonNull(key, "key");
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key);
            return ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The id of the key that seals. */
    public int primaryKeyId() {
        return keys[0].id;
    }

    /** The ids of every key, the primary first. */
    public List<Integer> keyIds() {
        List<Integer> ids = new ArrayList<>(keys.length);
        for (Key k : keys) {
            ids.add(k.id);
        }
        return List.copyOf(ids);
    }

    /** Whether a key with this id opens. */
    public boolean contains(int keyId) {
        return find(keyId) != null;
    }

    /**
     * This keyring with one more opening key; the same keyring if the key is already in it.
     *
     * @throws IllegalArgumentException if the key is not 16, 24 or 32 bytes long or another key has its id
     */
    public Keyring withKey(byte[] key) {
        Key k = Key.of(key, "key");
        Key existing = find(k.id);
        if (existing != null) {
            if (existing.sameMaterial(k)) {
                return this;
            }
            throw new IllegalArgumentException("key id " + hex(k.id) + " is already taken by another key");
        }
        Key[] copy = Arrays.copyOf(keys, keys.length + 1);
        copy[keys.length] = k;
        return new Keyring(copy);
    }

    /**
     * This keyring with the key of this id made primary (the former primary keeps opening).
     *
     * @throws IllegalArgumentException if no key has this id
     */
    public Keyring withPrimary(int keyId) {
        int at = indexOf(keyId);
        if (at < 0) {
            throw new IllegalArgumentException("no key with id " + hex(keyId) + " in " + this
                    + "; install it with withKey first");
        }
        if (at == 0) {
            return this;
        }
        Key[] copy = new Key[keys.length];
        copy[0] = keys[at];
        int j = 1;
        for (int i = 0; i < keys.length; i++) {
            if (i != at) {
                copy[j++] = keys[i];
            }
        }
        return new Keyring(copy);
    }

    /** This keyring with {@code key} added if absent and made primary. */
    public Keyring withPrimary(byte[] key) {
        Keyring added = withKey(key);
        return added.withPrimary(keyId(key));
    }

    /**
     * This keyring without the key of this id; the same keyring if there is none.
     *
     * @throws IllegalArgumentException if the key is the primary (make another primary first)
     */
    public Keyring withoutKey(int keyId) {
        int at = indexOf(keyId);
        if (at < 0) {
            return this;
        }
        if (at == 0) {
            throw new IllegalArgumentException("key " + hex(keyId) + " is the primary key; make another key primary "
                    + "before removing it");
        }
        Key[] copy = new Key[keys.length - 1];
        System.arraycopy(keys, 0, copy, 0, at);
        System.arraycopy(keys, at + 1, copy, at, keys.length - at - 1);
        return new Keyring(copy);
    }

    /** The number of keys, the primary included. */
    public int size() {
        return keys.length;
    }

    /** Ids only, in hexadecimal, the primary first; never key material. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Keyring[primary=").append(hex(keys[0].id)).append(", opening=[");
        for (int i = 1; i < keys.length; i++) {
            sb.append(i > 1 ? ", " : "").append(hex(keys[i].id));
        }
        return sb.append("]]").toString();
    }

    /** The key id as eight hexadecimal digits. */
    static String hex(int keyId) {
        return String.format("%08x", keyId);
    }

    Key primary() {
        return keys[0];
    }

    /** The key with this id, or null; no allocation (the receive path calls this per datagram). */
    Key find(int keyId) {
        for (Key k : keys) {
            if (k.id == keyId) {
                return k;
            }
        }
        return null;
    }

    private int indexOf(int keyId) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].id == keyId) {
                return i;
            }
        }
        return -1;
    }

    private static void add(List<Key> list, Key k, String where) {
        for (int i = 0; i < list.size(); i++) {
            Key other = list.get(i);
            if (other.id == k.id) {
                throw new IllegalArgumentException(where + ": " + (other.sameMaterial(k)
                        ? "the same key appears twice" : "key id " + hex(k.id) + " collides with another key"));
            }
        }
        list.add(k);
    }

    /** One AES key, ready for {@link javax.crypto.Cipher#init}. */
    static final class Key {
        final int id;
        final SecretKeySpec spec;

        private Key(int id, SecretKeySpec spec) {
            this.id = id;
            this.spec = spec;
        }

        static Key of(byte[] raw, String what) {
            Objects.requireNonNull(raw, what);
            if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
                throw new IllegalArgumentException(what + ": a " + raw.length + "-byte key; AES keys are 16, 24 or "
                        + "32 bytes (128, 192 or 256 bits)");
            }
            return new Key(keyId(raw), new SecretKeySpec(raw, "AES"));
        }

        int bits() {
            return spec.getEncoded().length * 8;
        }

        boolean sameMaterial(Key other) {
            return MessageDigest.isEqual(spec.getEncoded(), other.spec.getEncoded());
        }
    }
}
