package org.brainfm.records;

/** The architecture family of a model card or an entry, as the board groups them. */
public enum Family implements DbEnum {
    CNN,
    TRANSFORMER,
    HYBRID,
    OTHER
}
