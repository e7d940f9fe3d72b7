package org.brainfm.records;

import java.time.OffsetDateTime;

/** A team that may upload entries (its token is never stored, only the token's SHA-256). */
public record TeamRow(long id, String name, OffsetDateTime created) {}
