package org.brainfm.records;

import java.util.Locale;

/** An enum stored as its lower-case name (the values the migrations' CHECK constraints allow). */
interface DbEnum {
    String name();

    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String id) {
        return Enum.valueOf(type, id.toUpperCase(Locale.ROOT));
    }
}
