package org.brainfm.records;

import java.time.OffsetDateTime;

/** One organiser action (or refused upload) as written: when, by whom, what, and what changed. */
public record AuditRow(long id, OffsetDateTime at, String actor, String action, String detail) {}
