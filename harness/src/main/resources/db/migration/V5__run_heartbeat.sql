-- brainfm records, schema version 5: a running run's heartbeat (docs/records.md, "Many writers").
-- The run's process sets it (the database's clock) at every write and every tenth of the lease;
-- opening the records marks a running run of any host whose heartbeat is older than the lease as
-- interrupted. NULL: a run written before version 5, judged by its process only (same host).
ALTER TABLE run ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
