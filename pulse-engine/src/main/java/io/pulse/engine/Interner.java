package io.pulse.engine;

import io.pulse.api.Identifier;

/**
 * Shares one {@link Identifier} instance per address among the member tables of many nodes, so that a
 * simulation of n nodes holds n identities instead of n². The real runtime uses {@link #NONE}.
 */
@FunctionalInterface
public interface Interner {

    /** Keeps every identity as decoded. */
    Interner NONE = id -> id;

    /** The shared instance equal to {@code id}. */
    Identifier intern(Identifier id);
}
