-- The case view folds the stream; cf_cases.snapshot (a copy of the receipt, identity numbers included) is no
-- longer read by anything, so the read model stops keeping a second copy of personal data.
ALTER TABLE cf_cases DROP COLUMN snapshot;
