-- brainfm records, schema version 3: entries from outside (submissions/README.md).
-- A submission is one stored entry folder (named by its content's SHA-256) with its manifest, kind
-- and every reason it was refused or failed (a JSON list of sentences); a case scored worst keeps
-- its reason. The status values change in V4 (a Java migration: the old CHECK has no portable name).
ALTER TABLE submission ADD COLUMN entry_name VARCHAR(200);
ALTER TABLE submission ADD COLUMN kind VARCHAR(20);
ALTER TABLE submission ADD COLUMN sha256 VARCHAR(64);
ALTER TABLE submission ADD COLUMN folder VARCHAR(2000);
ALTER TABLE submission ADD COLUMN manifest VARCHAR(100000);
ALTER TABLE submission ADD COLUMN reasons VARCHAR(1000000);
ALTER TABLE submission ADD COLUMN baseline_card VARCHAR(100) REFERENCES model_card (id);
ALTER TABLE submission ADD COLUMN init_run_id BIGINT REFERENCES run (id);
ALTER TABLE submission ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE submission DROP COLUMN error;
ALTER TABLE submission ADD CONSTRAINT submission_kind CHECK (kind IS NULL OR kind IN ('model', 'predictions', 'encoder'));
CREATE UNIQUE INDEX submission_sha256 ON submission (sha256);
CREATE INDEX submission_status ON submission (status);

ALTER TABLE case_result ADD COLUMN reason VARCHAR(1000);
