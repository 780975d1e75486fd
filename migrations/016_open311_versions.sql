-- Open311 GET requests.json keeps each service request's JSON in memory by report and version
-- (src/modules/feedback/open311/json-cache.ts): an answer first reads the ids and versions of its
-- 1,000 reports. With the version in the listed indexes that read needs the indexes alone, not a
-- visit to each report's row (a thousand pages, most of them outside shared buffers).
--
-- updated_at is no version: it only moves forward (migration 005's trigger keeps the later value),
-- but it stays as it was when a change is stamped before the latest event, and some writes leave
-- it alone (a photo's verification changes public_photo_key). row_version is the transaction that
-- last wrote the row, whatever wrote it: 64 bits with the epoch, never the same twice.
ALTER TABLE feedback_reports ADD COLUMN row_version bigint NOT NULL DEFAULT 0;
-- Set apart from the column: a volatile default would rewrite every stored report. Those keep 0,
-- which their ids tell apart until their next change.
ALTER TABLE feedback_reports ALTER COLUMN row_version SET DEFAULT txid_current();

CREATE FUNCTION feedback_row_version_next() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_version := txid_current();
  RETURN NEW;
END $$;
CREATE TRIGGER feedback_row_version BEFORE UPDATE ON feedback_reports
  FOR EACH ROW EXECUTE FUNCTION feedback_row_version_next();

-- Migration 005's indexes, with the version beside each entry.
DROP INDEX feedback_reports_listed_idx;
CREATE INDEX feedback_reports_listed_idx ON feedback_reports (category_id, received_at DESC NULLS LAST, id DESC) INCLUDE (row_version)
  WHERE status IN ('verified', 'assigned', 'in_progress', 'resolved', 'closed');
DROP INDEX feedback_reports_listed_recent_idx;
CREATE INDEX feedback_reports_listed_recent_idx ON feedback_reports (received_at DESC NULLS LAST, id DESC) INCLUDE (row_version)
  WHERE status IN ('verified', 'assigned', 'in_progress', 'resolved', 'closed');
