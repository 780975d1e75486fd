-- The newest reports of a category (Open311 GET requests.json, the queues filtered by category):
-- an index in the lists' own order lets PostgreSQL stop after the first page instead of sorting
-- every report of the period.
CREATE INDEX feedback_reports_category_received_idx ON feedback_reports (category_id, received_at DESC NULLS LAST, id DESC);
