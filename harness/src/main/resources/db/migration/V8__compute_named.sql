-- brainfm records, schema version 8: compute named for what it is (docs/records.md, "Compute").
-- busy_seconds: the run's training steps, each timed from its forward pass until its loss is read
-- back (which waits for the device): the time the device was busy with the run's work, where it
-- can be measured; NULL for a run without training steps. test_seconds: the device-seconds a
-- finetuning run spent scoring its own test cases, which a later score run of its model repeats;
-- a lineage's compute counts that inference once (the score run's).
ALTER TABLE run ADD COLUMN busy_seconds DOUBLE PRECISION;
ALTER TABLE run ADD COLUMN test_seconds DOUBLE PRECISION;
