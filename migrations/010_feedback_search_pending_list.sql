-- A new report's trigrams go to the search index's pending list (GIN fast update), and the insert
-- that finds the list over gin_pending_list_limit moves the whole list into the index before it
-- commits. At the default 4 MB that insert took 110–370 ms on the 1,000,000-report bench database
-- (about every 1.5 s under load), and the submissions written with it waited as long. A small
-- list is moved often and quickly (tens of ms); updating the index at every insert instead
-- (fastupdate off) made each statement cost several times as much.
ALTER INDEX feedback_reports_search_idx SET (gin_pending_list_limit = 256);
