-- The Decision 766 scorecard without reading every dossier: monthly rollups of the dossiers'
-- counts per unit subtree, kept by statement-level triggers in the same transaction as the change
-- (a bulk INSERT … SELECT of a million rows updates them in one pass over its transition table).
--
-- A dossier counts in the rows of its receiving unit and of every unit above it (org_units.path),
-- so the scorecard of any unit with its subtree reads only that unit's rows (a few per month),
-- and ranking siblings reads each sibling's. Every count of src/modules/dossiers/rules/
-- scorecardCounts.ts over dossiers, for a period of whole months [F, M] (month, quarter, half-year,
-- year), is a sum over those rows:
-- - received in the period: received_month between F and M;
-- - handled (received by the end, not ended before the start): received_month <= M and
--   ended_month >= F ('infinity' while open);
-- - on time as of the period's last instant: ended by then (ended_month <= M) and not late
--   (overdue_from <= ended_at is late: migration 007), or open then and not yet overdue
--   (overdue_month > M);
-- - results issued in the period: ended with a result (processed, returned) in a month F..M.
-- Facts a source may not give (synchronised, digitised, electronic result, reused data) are
-- counted true and unknown: a count with any unknown is "no data". Months are Vietnam's (UTC+7).

-- The month an instant falls in, in Vietnam.
CREATE FUNCTION dossier_month(at timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_trunc('month', at AT TIME ZONE INTERVAL '07:00')::date $$;

CREATE TABLE dossier_scorecard_monthly (
  -- The unit at the top of the subtree: the receiving unit itself, or a unit above it.
  subtree_id                  integer NOT NULL,
  received_month              date NOT NULL,
  -- The month of ended_at; 'infinity' while open.
  ended_month                 date NOT NULL,
  -- The first month at whose end the dossier, still open, is overdue; 'infinity' when it never is
  -- (overdue_from unknown, or in or after the month it ended). Never before received_month.
  overdue_month               date NOT NULL,
  dossiers                    integer NOT NULL,
  -- Of a procedure offered online (fully or partly); of those, submitted online (channel 2).
  online_capable              integer NOT NULL,
  online_capable_online       integer NOT NULL,
  -- With a fee above 0; of those, paid online.
  with_fee                    integer NOT NULL,
  paid_online                 integer NOT NULL,
  synced                      integer NOT NULL,
  synced_unknown              integer NOT NULL,
  digitised                   integer NOT NULL,
  digitised_unknown           integer NOT NULL,
  reused_data                 integer NOT NULL,
  reused_data_unknown         integer NOT NULL,
  complaint                   integer NOT NULL,
  -- Ended late (overdue_from <= ended_at).
  ended_late                  integer NOT NULL,
  -- Ended with a result (9 processed, 10 returned); of those, with an electronic result.
  results                     integer NOT NULL,
  results_electronic          integer NOT NULL,
  results_electronic_unknown  integer NOT NULL,
  PRIMARY KEY (subtree_id, received_month, ended_month, overdue_month)
);

-- The SELECT giving each dossier's rollup keys (one per unit of its receiving unit's path) and
-- counts, each multiplied by `sign`, from `source`: a FROM clause naming the dossiers `d` (the
-- table, or a trigger's transition table), their procedures `p` and their receiving units `o`;
-- `filter` keeps some of them. One definition for every trigger and the rebuild.
CREATE FUNCTION dossier_scorecard_rows_sql(source text, sign integer, filter text DEFAULT 'true') RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT format($f$
    SELECT a.subtree_id,
      dossier_month(d.received_at) AS received_month,
      coalesce(dossier_month(d.ended_at), 'infinity') AS ended_month,
      CASE WHEN d.overdue_from IS NULL OR dossier_month(d.overdue_from) >= coalesce(dossier_month(d.ended_at), 'infinity') THEN 'infinity'
        ELSE greatest(dossier_month(d.overdue_from), dossier_month(d.received_at)) END AS overdue_month,
      %1$s AS dossiers,
      %1$s * (p.online <> 'none')::int AS online_capable,
      %1$s * (p.online <> 'none' AND d.channel = 2)::int AS online_capable_online,
      %1$s * coalesce(d.fee > 0, false)::int AS with_fee,
      %1$s * coalesce(d.fee > 0 AND d.paid_online, false)::int AS paid_online,
      %1$s * coalesce(d.synced, false)::int AS synced,
      %1$s * (d.synced IS NULL)::int AS synced_unknown,
      %1$s * coalesce(d.digitised, false)::int AS digitised,
      %1$s * (d.digitised IS NULL)::int AS digitised_unknown,
      %1$s * coalesce(d.reused_data, false)::int AS reused_data,
      %1$s * (d.reused_data IS NULL)::int AS reused_data_unknown,
      %1$s * d.complaint::int AS complaint,
      %1$s * coalesce(d.overdue_from <= d.ended_at, false)::int AS ended_late,
      %1$s * coalesce(d.ended_status IN (9, 10), false)::int AS results,
      %1$s * coalesce(d.ended_status IN (9, 10) AND d.electronic_result, false)::int AS results_electronic,
      %1$s * coalesce(d.ended_status IN (9, 10) AND d.electronic_result IS NULL, false)::int AS results_electronic_unknown
    FROM %2$s
    CROSS JOIN LATERAL unnest(string_to_array(btrim(o.path, '/'), '/')::int[]) AS a (subtree_id)
    WHERE %3$s$f$, sign, source, filter) $$;

-- Adds the rows of `source` (a SELECT shaped as dossier_scorecard_rows_sql's) to the rollups,
-- grouped by key; keys whose counts all cancel out are left alone. Rows are upserted in key order,
-- so concurrent writers lock rollup rows in the same order.
CREATE FUNCTION dossier_scorecard_upsert_sql(source text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT format($f$
    INSERT INTO dossier_scorecard_monthly AS s
    SELECT subtree_id, received_month, ended_month, overdue_month,
      sum(dossiers), sum(online_capable), sum(online_capable_online), sum(with_fee), sum(paid_online),
      sum(synced), sum(synced_unknown), sum(digitised), sum(digitised_unknown), sum(reused_data), sum(reused_data_unknown),
      sum(complaint), sum(ended_late), sum(results), sum(results_electronic), sum(results_electronic_unknown)
    FROM (%s) c
    GROUP BY subtree_id, received_month, ended_month, overdue_month
    HAVING (sum(dossiers), sum(online_capable), sum(online_capable_online), sum(with_fee), sum(paid_online),
      sum(synced), sum(synced_unknown), sum(digitised), sum(digitised_unknown), sum(reused_data), sum(reused_data_unknown),
      sum(complaint), sum(ended_late), sum(results), sum(results_electronic), sum(results_electronic_unknown))
      <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ORDER BY subtree_id, received_month, ended_month, overdue_month
    ON CONFLICT (subtree_id, received_month, ended_month, overdue_month) DO UPDATE SET
      dossiers = s.dossiers + excluded.dossiers,
      online_capable = s.online_capable + excluded.online_capable,
      online_capable_online = s.online_capable_online + excluded.online_capable_online,
      with_fee = s.with_fee + excluded.with_fee,
      paid_online = s.paid_online + excluded.paid_online,
      synced = s.synced + excluded.synced,
      synced_unknown = s.synced_unknown + excluded.synced_unknown,
      digitised = s.digitised + excluded.digitised,
      digitised_unknown = s.digitised_unknown + excluded.digitised_unknown,
      reused_data = s.reused_data + excluded.reused_data,
      reused_data_unknown = s.reused_data_unknown + excluded.reused_data_unknown,
      complaint = s.complaint + excluded.complaint,
      ended_late = s.ended_late + excluded.ended_late,
      results = s.results + excluded.results,
      results_electronic = s.results_electronic + excluded.results_electronic,
      results_electronic_unknown = s.results_electronic_unknown + excluded.results_electronic_unknown$f$, source) $$;

-- A statement's dossiers: the old rows leave the rollups, the new ones enter them. The transition
-- tables are visible only to statements run by this function itself, hence EXECUTE here.
CREATE FUNCTION dossier_scorecard_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_rows constant text := dossier_scorecard_rows_sql(
    'old_dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id JOIN org_units o ON o.id = d.unit_id', -1);
  new_rows constant text := dossier_scorecard_rows_sql(
    'new_dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id JOIN org_units o ON o.id = d.unit_id', 1);
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE dossier_scorecard_upsert_sql(new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE dossier_scorecard_upsert_sql(old_rows);
  ELSE
    EXECUTE dossier_scorecard_upsert_sql(old_rows || ' UNION ALL ' || new_rows);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER dossier_scorecard_insert AFTER INSERT ON dossiers
  REFERENCING NEW TABLE AS new_dossiers FOR EACH STATEMENT EXECUTE FUNCTION dossier_scorecard_track();
CREATE TRIGGER dossier_scorecard_update AFTER UPDATE ON dossiers
  REFERENCING OLD TABLE AS old_dossiers NEW TABLE AS new_dossiers FOR EACH STATEMENT EXECUTE FUNCTION dossier_scorecard_track();
CREATE TRIGGER dossier_scorecard_delete AFTER DELETE ON dossiers
  REFERENCING OLD TABLE AS old_dossiers FOR EACH STATEMENT EXECUTE FUNCTION dossier_scorecard_track();

CREATE FUNCTION dossier_scorecard_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM dossier_scorecard_monthly;
  RETURN NULL;
END $$;
CREATE TRIGGER dossier_scorecard_truncate AFTER TRUNCATE ON dossiers FOR EACH STATEMENT EXECUTE FUNCTION dossier_scorecard_truncate();

-- A procedure offered online, or no longer: its dossiers move between "online-capable" and not
-- (their contribution with the old procedure leaves, with the new one enters; the rest cancels out).
CREATE FUNCTION dossier_scorecard_procedures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed constant text := '(SELECT n.id FROM new_procedures n JOIN old_procedures x ON x.id = n.id
    WHERE (n.online <> ''none'') <> (x.online <> ''none''))';
BEGIN
  IF NOT EXISTS (SELECT FROM new_procedures n JOIN old_procedures x ON x.id = n.id WHERE (n.online <> 'none') <> (x.online <> 'none')) THEN
    RETURN NULL;
  END IF;
  EXECUTE dossier_scorecard_upsert_sql(
    dossier_scorecard_rows_sql('dossiers d JOIN old_procedures p ON p.id = d.procedure_id JOIN org_units o ON o.id = d.unit_id',
      -1, 'd.procedure_id IN ' || changed)
    || ' UNION ALL ' ||
    dossier_scorecard_rows_sql('dossiers d JOIN new_procedures p ON p.id = d.procedure_id JOIN org_units o ON o.id = d.unit_id',
      1, 'd.procedure_id IN ' || changed));
  RETURN NULL;
END $$;
CREATE TRIGGER dossier_scorecard_procedures AFTER UPDATE ON dossier_procedures
  REFERENCING OLD TABLE AS old_procedures NEW TABLE AS new_procedures FOR EACH STATEMENT EXECUTE FUNCTION dossier_scorecard_procedures();

-- A unit moved in the tree (its path, and its subtree's, changed): the dossiers it and its subtree
-- received leave the rows of their old ancestors and enter those of the new ones.
CREATE FUNCTION dossier_scorecard_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM new_units n JOIN old_units x ON x.id = n.id WHERE n.path <> x.path) THEN
    RETURN NULL;
  END IF;
  EXECUTE dossier_scorecard_upsert_sql(
    dossier_scorecard_rows_sql('old_units o JOIN new_units x ON x.id = o.id AND x.path <> o.path
      JOIN dossiers d ON d.unit_id = o.id JOIN dossier_procedures p ON p.id = d.procedure_id', -1)
    || ' UNION ALL ' ||
    dossier_scorecard_rows_sql('new_units o JOIN old_units x ON x.id = o.id AND x.path <> o.path
      JOIN dossiers d ON d.unit_id = o.id JOIN dossier_procedures p ON p.id = d.procedure_id', 1));
  RETURN NULL;
END $$;
CREATE TRIGGER dossier_scorecard_units AFTER UPDATE ON org_units
  REFERENCING OLD TABLE AS old_units NEW TABLE AS new_units FOR EACH STATEMENT EXECUTE FUNCTION dossier_scorecard_units();

-- The rollups from scratch: after a load that bypassed the triggers, or to repair them. Call it in
-- its own READ COMMITTED transaction: dossier changes wait while it runs (reads do not).
CREATE FUNCTION dossier_scorecard_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE dossiers IN SHARE ROW EXCLUSIVE MODE;
  LOCK TABLE dossier_procedures IN SHARE ROW EXCLUSIVE MODE;
  LOCK TABLE org_units IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM dossier_scorecard_monthly;
  EXECUTE dossier_scorecard_upsert_sql(dossier_scorecard_rows_sql(
    'dossiers d JOIN dossier_procedures p ON p.id = d.procedure_id JOIN org_units o ON o.id = d.unit_id', 1));
END $$;

-- The lists of dossiers open at an instant (the overdue and "due within N days" lists, timeliness
-- "as of" a date) read the open ones from the first (index-only, for a unit or the whole province:
-- it holds what those lists filter and sort by) and those ended after the instant from the second
-- (for "now", the few endings a source stamped ahead of our clock). lists-repo.ts writes its
-- conditions for them.
CREATE INDEX dossiers_open_now_idx ON dossiers (unit_id, overdue_from) INCLUDE (received_at, due_on, id) WHERE ended_at IS NULL;
CREATE INDEX dossiers_ended_idx ON dossiers (ended_at);
