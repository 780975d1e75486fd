-- A file import of a million dossiers spent most of its time in PostgreSQL (measured with the
-- derived rows COPY'd server-side into a copy of dossiers, 1,000,000 rows: about 24 s in all, of
-- which ~4.5 s the scorecard trigger's aggregate and ~2 s the two indexes below). This migration
-- removes what the reads do not use and lets a bulk writer add its rows to the rollups itself.

-- Neither index serves a read: the overdue and "due within N days" lists read the open dossiers
-- from dossiers_open_now_idx (which holds unit_id, overdue_from and due_on), and a list filtered by
-- procedure is served as well by a scan (EXPLAIN over 1,000,000 rows: 25,000 of a procedure are
-- spread over every page, so the bitmap scan read as much as the sequential one). The rare writes
-- that select by procedure (a procedure's processing time or online service changed) scan once.
DROP INDEX dossiers_open_idx;
DROP INDEX dossiers_procedure_idx;

-- The rollups of migration 008, kept for every statement on dossiers, except the INSERT statements
-- of a writer that adds what it inserts to the rollups itself: it sets, for its own transaction,
-- dieuhanh.dossier_rollups = 'writer' while it inserts (src/modules/dossiers/staging.ts: a file
-- import sums its new rows per unit and month as it reads them, and adds those sums in one upsert,
-- instead of this trigger aggregating a million rows again after the COPY). Updates and deletes
-- always go through the trigger.
CREATE OR REPLACE FUNCTION dossier_scorecard_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_rows constant text := dossier_scorecard_rows_sql(
    'old_dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id JOIN org_units o ON o.id = d.unit_id', -1);
  new_rows constant text := dossier_scorecard_rows_sql(
    'new_dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id JOIN org_units o ON o.id = d.unit_id', 1);
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF current_setting('dieuhanh.dossier_rollups', true) = 'writer' THEN
      RETURN NULL;
    END IF;
    EXECUTE dossier_scorecard_upsert_sql(new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE dossier_scorecard_upsert_sql(old_rows);
  ELSE
    EXECUTE dossier_scorecard_upsert_sql(old_rows || ' UNION ALL ' || new_rows);
  END IF;
  RETURN NULL;
END $$;
