package org.brainfm.records;

import java.util.Locale;

/** An enum stored as its lower-case name (the values the migrations' CHECK constraints allow). */
interface DbEnum {
    String name();

    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value whose id is {@code id}; anything else is refused naming {@code what} and the ids allowed. */
    static <E extends Enum<E> & DbEnum> E named(Class<E> type, String id, String what) {
        for (E e : type.getEnumConstants()) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + id + "' is not a " + what + " (" + String.join(", ",
                java.util.Arrays.stream(type.getEnumConstants()).map(DbEnum::id).toList()) + ")");
    }

    static <E extends Enum<E>> E parse(Class<E> type, String id) {
        return Enum.valueOf(type, id.toUpperCase(Locale.ROOT));
    }
}
