package org.brainfm.web;

import java.util.List;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.EntryStatus;
import org.brainfm.records.Family;
import org.brainfm.records.NewEntry;
import org.brainfm.records.Records;
import org.brainfm.records.TaskRow;

/**
 * Records as an attacker fills them: team and entry names that a spreadsheet runs as formulas,
 * a 200-character name without a space, names with right-to-left overrides and invisible
 * characters, a task id that needs encoding in a link, and absurd claimed figures. Each entry is
 * scored on the regression task and on the odd task (both with public per-case results); the
 * long-named entry is the best CNN, the bidi-named one a transformer, so that the comparison shows both.
 */
final class Hostile {
    static final String ODD_TASK = "what? #1/a b";
    static final String FORMULA_TEAM = "=HYPERLINK(\"http://evil.example/\",\"open\")";
    static final String FORMULA_ENTRY = "+SUM(1,2)";
    static final String AT_TEAM = "@SUM(1,2)";
    static final String MINUS_ENTRY = "-2+3";
    static final String TAB_TEAM = "\tcmd";
    static final String CR_ENTRY = "\rcmd";
    /** 200 characters, no space. */
    static final String LONG = "Long" + "o".repeat(192) + "name";
    static final String LONG_TEAM = "Team" + "m".repeat(196);
    /** Reads as "Lab A" followed by a reversed text; holds one character of each range that can spoof. */
    static final String BIDI_TEAM = "Lab A\u202Egnp.exe\u202C";
    static final String BIDI_ENTRY = "U\u200B-Net\u2066 v2\u2069\uFEFF\u200F\u202A";
    /** Every character a name could hide or reorder text with. */
    static final String INVISIBLE = "[\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF]";

    final long formula;
    final long minus;
    final long tab;
    final long longName;
    final long bidi;
    final long claims;

    Hostile(Records records) {
        Fixture.catalog(records);
        records.catalog().putTask(new TaskRow(ODD_TASK, "phantom", TaskType.REGRESSION, "A task id that needs encoding",
                Fixture.json("{\"contrasts\": [\"t1\"], \"test_cases\": 40, \"public_cases\": true}")));
        formula = entry(records, FORMULA_TEAM, FORMULA_ENTRY, Family.CNN, "{}", 0.9, 10_000_000L);
        minus = entry(records, AT_TEAM, MINUS_ENTRY, Family.TRANSFORMER, "{}", 0.8, 80_000_000L);
        tab = entry(records, TAB_TEAM, CR_ENTRY, Family.HYBRID, "{}", 0.7, 20_000_000L);
        longName = entry(records, LONG_TEAM, LONG, Family.CNN, "{}", 0.95, 30_000_000L);
        bidi = entry(records, BIDI_TEAM, BIDI_ENTRY, Family.TRANSFORMER, "{}", 0.85, 90_000_000L);
        claims = entry(records, "Claims", "Big claims", Family.OTHER, "{\"gpu_hours\": 1e300}", 0.6, Long.MAX_VALUE);
    }

    private static long entry(Records records, String team, String name, Family family, String manifest, double quality,
            long parameters) {
        long submission = Fixture.submission(records, team, "submissions/" + name, manifest);
        long entry = records.entries().add(NewEntry.submitted(team, name, family, submission));
        for (String task : List.of(Fixture.REGRESSION, ODD_TASK)) {
            Fixture.score(records, entry, task, quality, entry * 7 + task.length(), null, parameters);
        }
        records.entries().setStatus(entry, EntryStatus.SCORED, null);
        return entry;
    }
}
