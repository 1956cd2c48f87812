package io.pulse.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A member's metadata: a small, immutable byte payload that a node publishes about itself and that is gossiped to
 * every member when it changes. Its size is bounded by {@link PulseConfig#metadataMaxBytes()}.
 *
 * <p>pulse gives the bytes no meaning; {@link #ofUtf8(String)} and {@link #asUtf8()} are conveniences for the
 * common case of text such as {@code "zone=eu-1,role=db"}.
 */
public final class Metadata {

    /** No metadata: zero bytes. */
    public static final Metadata EMPTY = new Metadata(new byte[0]);

    private final byte[] bytes;

    private Metadata(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Metadata holding a copy of {@code bytes}. */
    public static Metadata of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? EMPTY : new Metadata(bytes.clone());
    }

    /** Metadata holding the UTF-8 encoding of {@code text}. */
    public static Metadata ofUtf8(String text) {
        Objects.requireNonNull(text, "text");
        return text.isEmpty() ? EMPTY : new Metadata(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The number of bytes. */
    public int size() {
        return bytes.length;
    }

    /** One byte; {@code index} must be below {@link #size()}. */
    public byte byteAt(int index) {
        return bytes[index];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String asUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metadata m && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Metadata[" + bytes.length + " bytes]";
    }
}
