-- brainfm records, schema version 2: an organiser may hide a single run, as an entry.
-- A hidden scoring run leaves the boards (its entry falls back to its previous shown scoring
-- run on the task) and every public listing; lineage compute still counts it (docs/records.md).
ALTER TABLE run ADD COLUMN hidden BOOLEAN DEFAULT FALSE NOT NULL;
-- The change stamp counts hidden runs at every board check.
CREATE INDEX run_hidden ON run (hidden);
