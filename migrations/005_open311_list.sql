-- Open311 GET requests reads each report from its own row: the 1,000 newest of a category come
-- from one index scan, without a look at their timeline or photos.

-- updated_datetime is the report's last change or timeline event, whichever is later: updated_at
-- holds it. Every timeline write moves updated_at up to the event's time (repo.insertEvent; a
-- submission's event has the report's own creation time), and nothing moves it back: a change
-- stamped by the database's clock after an event stamped by the application's keeps the later.
CREATE FUNCTION feedback_updated_at_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := OLD.updated_at;
  RETURN NEW;
END $$;
CREATE TRIGGER feedback_updated_at_forward BEFORE UPDATE ON feedback_reports
  FOR EACH ROW WHEN (NEW.updated_at < OLD.updated_at) EXECUTE FUNCTION feedback_updated_at_kept();

-- The reports written before this migration catch up with their timeline.
UPDATE feedback_reports r SET updated_at = e.at
FROM (SELECT report_id, max(at) AS at FROM feedback_events GROUP BY report_id) e
WHERE r.id = e.report_id AND r.updated_at < e.at;

-- The photo Open311 shows as media_url: the first verified photo of the citizen's, else the first
-- verified answer photo. Kept by the triggers below whatever writes the photos.
ALTER TABLE feedback_reports ADD COLUMN public_photo_key text;

CREATE FUNCTION feedback_public_photo_refresh(report integer) RETURNS void LANGUAGE sql AS $$
  UPDATE feedback_reports r SET public_photo_key = s.file_key
  FROM (SELECT (SELECT p.file_key FROM feedback_photos p WHERE p.report_id = report AND p.verified
                ORDER BY (p.kind = 'report') DESC, p.id LIMIT 1) AS file_key) s
  WHERE r.id = report AND r.public_photo_key IS DISTINCT FROM s.file_key
$$;

CREATE FUNCTION feedback_public_photo_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM feedback_public_photo_refresh(OLD.report_id); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.report_id <> OLD.report_id) THEN
    PERFORM feedback_public_photo_refresh(NEW.report_id);
  END IF;
  RETURN NULL;
END $$;

-- A citizen's photo arrives unverified (no trigger runs for it); an answer photo arrives verified.
CREATE TRIGGER feedback_public_photo_insert AFTER INSERT ON feedback_photos
  FOR EACH ROW WHEN (NEW.verified) EXECUTE FUNCTION feedback_public_photo_track();
CREATE TRIGGER feedback_public_photo_update AFTER UPDATE ON feedback_photos
  FOR EACH ROW
  WHEN ((OLD.verified OR NEW.verified) AND (OLD.verified, OLD.report_id, OLD.kind, OLD.file_key) IS DISTINCT FROM (NEW.verified, NEW.report_id, NEW.kind, NEW.file_key))
  EXECUTE FUNCTION feedback_public_photo_track();
CREATE TRIGGER feedback_public_photo_delete AFTER DELETE ON feedback_photos
  FOR EACH ROW WHEN (OLD.verified) EXECUTE FUNCTION feedback_public_photo_track();

UPDATE feedback_reports r SET public_photo_key = p.file_key
FROM (SELECT DISTINCT ON (report_id) report_id, file_key FROM feedback_photos WHERE verified
      ORDER BY report_id, (kind = 'report') DESC, id) p
WHERE r.id = p.report_id;

-- The reports Open311 and the public pages list (verified or later, not refused or merged), newest
-- first, per category and all together: no index entry to skip for the others, and none written
-- for a report until it is verified.
CREATE INDEX feedback_reports_listed_idx ON feedback_reports (category_id, received_at DESC NULLS LAST, id DESC)
  WHERE status IN ('verified', 'assigned', 'in_progress', 'resolved', 'closed');
CREATE INDEX feedback_reports_listed_recent_idx ON feedback_reports (received_at DESC NULLS LAST, id DESC)
  WHERE status IN ('verified', 'assigned', 'in_progress', 'resolved', 'closed');
