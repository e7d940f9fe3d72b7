-- brainfm records, schema version 7: the reference of a classification or regression case (its 0/1
-- label, its true value) on the row of the case's prediction (metric 'probability' or
-- 'prediction'), so that a paired bootstrap or permutation test between two entries can recompute
-- AUROC, accuracy, MAE or r on resampled cases (docs/metrics.md, "Comparing two entries"). NULL on
-- every other row, and on rows scored before version 7. Never exported or shown.
ALTER TABLE case_result ADD COLUMN truth DOUBLE PRECISION;
