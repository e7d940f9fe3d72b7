package org.brainfm.records;

/** The architecture family of a model card or an entry, as the board groups them. */
public enum Family implements DbEnum {
    CNN,
    TRANSFORMER,
    HYBRID,
    OTHER;

    /** The name shown to people: {@code CNN}, {@code Transformer}, {@code Hybrid}, {@code Other}. */
    public String label() {
        return this == CNN ? "CNN" : name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
