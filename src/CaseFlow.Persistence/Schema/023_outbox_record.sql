-- Issue 15: Wolverine delivers notifications (its envelopes are stored in the command's transaction, in
-- cf_wolverine). cf_outbox stays as the permanent record of what each command caused to be sent, and when it was
-- sent; nobody polls it any more.
DROP INDEX IF EXISTS cf_outbox_due;
COMMENT ON TABLE cf_outbox IS 'What each command caused to be sent (one row per deterministic message id) and its delivery: attempts, last error kind, sent_at. Delivered by Wolverine (queue "notifications").';
