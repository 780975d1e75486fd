-- Feedback statistics without reading every report: each report's handling time, stored when it is
-- resolved, and monthly rollups kept by a trigger in the same transaction as the report's change.

-- Working hours from verification to resolution, computed by the application with the working-day
-- calendar when the report is resolved (and kept as computed if the calendar changes later);
-- cleared when the resolution is (a reopened report).
ALTER TABLE feedback_reports ADD COLUMN handling_hours double precision;

-- Resolved reports whose handling time is missing (resolved before this migration): the
-- application computes them once; this index keeps finding them cheap.
CREATE INDEX feedback_reports_hours_missing_idx ON feedback_reports (id)
  WHERE handling_hours IS NULL AND resolved_at IS NOT NULL AND verified_at IS NOT NULL;

-- The reports of part of a month (a period that does not start or end with a month) are counted
-- from this index alone: 002's index on received_at, now carrying what the statistics read.
DROP INDEX feedback_reports_received_idx;
CREATE INDEX feedback_reports_received_idx ON feedback_reports (received_at)
  INCLUDE (unit_id, area_unit_id, category_id, status, verified_at, resolved_at, deadline, rating, handling_hours);

-- Open reports past their deadline are counted from the reports (they change every minute): the
-- open ones are few, and this index answers for them without reading the table.
CREATE INDEX feedback_reports_open_idx ON feedback_reports (received_at) INCLUDE (deadline, unit_id, area_unit_id, category_id)
  WHERE status IN ('verified', 'assigned', 'in_progress');

-- The month a report counts in: the month it was received, in Vietnam (UTC+7).
CREATE FUNCTION feedback_month(received_at timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_trunc('month', received_at AT TIME ZONE INTERVAL '07:00')::date $$;

-- The bucket of a handling time in a histogram: whole working hours, [h, h + 1); below 0 is 0;
-- none without a time.
CREATE FUNCTION feedback_hour(handling_hours double precision) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN handling_hours IS NOT NULL THEN greatest(floor(handling_hours), 0)::integer END $$;

-- Counts per month of receipt, responsible unit and category. The responsible unit is the handling
-- unit, else the unit of the area while the report is unassigned, else 0 (no area); `assigned`
-- says which, so that the statistics keep the scope rule of the reports themselves (the handling
-- unit's staff, the area's operators). `hours` is the histogram of the handling times of its
-- resolved reports: element h + 1 counts those handled in [h, h + 1) working hours. A row may hold
-- zeros (and a histogram trailing zeros) after its reports moved away.
CREATE TABLE feedback_stats_monthly (
  month          date NOT NULL,
  unit_id        integer NOT NULL,
  assigned       boolean NOT NULL,
  category_id    integer NOT NULL,
  received       integer NOT NULL,
  verified       integer NOT NULL,
  rejected       integer NOT NULL,
  resolved       integer NOT NULL,
  -- resolved after the deadline (resolved_at > deadline)
  resolved_late  integer NOT NULL,
  rated          integer NOT NULL,
  satisfied      integer NOT NULL,
  hours          integer[] NOT NULL,
  PRIMARY KEY (month, unit_id, assigned, category_id)
);

-- The same per month and responsible unit, summed over the categories: a question without a
-- category (the usual one) reads one row per unit and month instead of one per category too.
CREATE TABLE feedback_stats_units (
  month          date NOT NULL,
  unit_id        integer NOT NULL,
  assigned       boolean NOT NULL,
  received       integer NOT NULL,
  verified       integer NOT NULL,
  rejected       integer NOT NULL,
  resolved       integer NOT NULL,
  resolved_late  integer NOT NULL,
  rated          integer NOT NULL,
  satisfied      integer NOT NULL,
  hours          integer[] NOT NULL,
  PRIMARY KEY (month, unit_id, assigned)
);

-- A histogram with one report moved from bucket `from_hour` to bucket `to_hour` (either may be
-- null: a report leaving or entering), grown with zeros as needed.
CREATE FUNCTION feedback_hours_move(hours integer[], from_hour integer, to_hour integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF from_hour IS NOT DISTINCT FROM to_hour THEN RETURN hours; END IF;
  hours := hours || array_fill(0, ARRAY[greatest(greatest(from_hour, to_hour) + 1 - cardinality(hours), 0)]);
  IF from_hour IS NOT NULL THEN hours[from_hour + 1] := hours[from_hour + 1] - 1; END IF;
  IF to_hour IS NOT NULL THEN hours[to_hour + 1] := hours[to_hour + 1] + 1; END IF;
  RETURN hours;
END $$;

CREATE FUNCTION feedback_stats_add(
  p_month date, p_unit integer, p_assigned boolean, p_category integer,
  p_received integer, p_verified integer, p_rejected integer, p_resolved integer, p_late integer, p_rated integer, p_satisfied integer,
  p_from_hour integer, p_to_hour integer
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO feedback_stats_monthly AS s (month, unit_id, assigned, category_id, received, verified, rejected, resolved, resolved_late, rated, satisfied, hours)
  VALUES (p_month, p_unit, p_assigned, p_category, p_received, p_verified, p_rejected, p_resolved, p_late, p_rated, p_satisfied,
    CASE WHEN p_to_hour IS NULL THEN '{}' ELSE feedback_hours_move('{}', NULL, p_to_hour) END)
  ON CONFLICT (month, unit_id, assigned, category_id) DO UPDATE SET
    received = s.received + excluded.received, verified = s.verified + excluded.verified,
    rejected = s.rejected + excluded.rejected, resolved = s.resolved + excluded.resolved,
    resolved_late = s.resolved_late + excluded.resolved_late, rated = s.rated + excluded.rated,
    satisfied = s.satisfied + excluded.satisfied,
    hours = CASE WHEN p_from_hour IS NULL AND p_to_hour IS NULL THEN s.hours ELSE feedback_hours_move(s.hours, p_from_hour, p_to_hour) END;
END $$;

CREATE FUNCTION feedback_stats_add_unit(
  p_month date, p_unit integer, p_assigned boolean,
  p_received integer, p_verified integer, p_rejected integer, p_resolved integer, p_late integer, p_rated integer, p_satisfied integer,
  p_from_hour integer, p_to_hour integer
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO feedback_stats_units AS s (month, unit_id, assigned, received, verified, rejected, resolved, resolved_late, rated, satisfied, hours)
  VALUES (p_month, p_unit, p_assigned, p_received, p_verified, p_rejected, p_resolved, p_late, p_rated, p_satisfied,
    CASE WHEN p_to_hour IS NULL THEN '{}' ELSE feedback_hours_move('{}', NULL, p_to_hour) END)
  ON CONFLICT (month, unit_id, assigned) DO UPDATE SET
    received = s.received + excluded.received, verified = s.verified + excluded.verified,
    rejected = s.rejected + excluded.rejected, resolved = s.resolved + excluded.resolved,
    resolved_late = s.resolved_late + excluded.resolved_late, rated = s.rated + excluded.rated,
    satisfied = s.satisfied + excluded.satisfied,
    hours = CASE WHEN p_from_hour IS NULL AND p_to_hour IS NULL THEN s.hours ELSE feedback_hours_move(s.hours, p_from_hour, p_to_hour) END;
END $$;

-- A report's change: its old contribution (o_*) leaves the rollups, its new one (n_*) enters them,
-- in one upsert per rollup row whose contribution changed. When the key moves (a change of unit),
-- the two rows are touched in key order, the category rows before the unit rows, so that
-- concurrent transactions lock rollup rows in the same order.
CREATE FUNCTION feedback_stats_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o_month date; o_unit integer; o_assigned boolean; o_category integer; o_hour integer;
  o_verified integer := 0; o_rejected integer := 0; o_resolved integer := 0;
  o_late integer := 0; o_rated integer := 0; o_satisfied integer := 0;
  n_month date; n_unit integer; n_assigned boolean; n_category integer; n_hour integer;
  n_verified integer := 0; n_rejected integer := 0; n_resolved integer := 0;
  n_late integer := 0; n_rated integer := 0; n_satisfied integer := 0;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    o_month := feedback_month(OLD.received_at);
    o_unit := coalesce(OLD.unit_id, OLD.area_unit_id, 0);
    o_assigned := OLD.unit_id IS NOT NULL;
    o_category := OLD.category_id;
    o_verified := (OLD.verified_at IS NOT NULL)::integer;
    o_rejected := (OLD.status = 'rejected')::integer;
    o_resolved := (OLD.resolved_at IS NOT NULL)::integer;
    o_late := coalesce(OLD.resolved_at > OLD.deadline, false)::integer;
    o_rated := (OLD.rating IS NOT NULL)::integer;
    o_satisfied := coalesce(OLD.rating = 'satisfied', false)::integer;
    IF OLD.resolved_at IS NOT NULL AND OLD.handling_hours IS NOT NULL THEN o_hour := feedback_hour(OLD.handling_hours); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    n_month := feedback_month(NEW.received_at);
    n_unit := coalesce(NEW.unit_id, NEW.area_unit_id, 0);
    n_assigned := NEW.unit_id IS NOT NULL;
    n_category := NEW.category_id;
    n_verified := (NEW.verified_at IS NOT NULL)::integer;
    n_rejected := (NEW.status = 'rejected')::integer;
    n_resolved := (NEW.resolved_at IS NOT NULL)::integer;
    n_late := coalesce(NEW.resolved_at > NEW.deadline, false)::integer;
    n_rated := (NEW.rating IS NOT NULL)::integer;
    n_satisfied := coalesce(NEW.rating = 'satisfied', false)::integer;
    IF NEW.resolved_at IS NOT NULL AND NEW.handling_hours IS NOT NULL THEN n_hour := feedback_hour(NEW.handling_hours); END IF;
  END IF;

  IF TG_OP = 'INSERT' THEN
    -- Every submission comes this way: the two upserts are written out here, since a function
    -- call for each would nearly double what the trigger costs an insert.
    INSERT INTO feedback_stats_monthly AS s (month, unit_id, assigned, category_id, received, verified, rejected, resolved, resolved_late, rated, satisfied, hours)
    VALUES (n_month, n_unit, n_assigned, n_category, 1, n_verified, n_rejected, n_resolved, n_late, n_rated, n_satisfied,
      CASE WHEN n_hour IS NULL THEN '{}' ELSE feedback_hours_move('{}', NULL, n_hour) END)
    ON CONFLICT (month, unit_id, assigned, category_id) DO UPDATE SET
      received = s.received + 1, verified = s.verified + excluded.verified, rejected = s.rejected + excluded.rejected,
      resolved = s.resolved + excluded.resolved, resolved_late = s.resolved_late + excluded.resolved_late,
      rated = s.rated + excluded.rated, satisfied = s.satisfied + excluded.satisfied,
      hours = CASE WHEN n_hour IS NULL THEN s.hours ELSE feedback_hours_move(s.hours, NULL, n_hour) END;
    INSERT INTO feedback_stats_units AS s (month, unit_id, assigned, received, verified, rejected, resolved, resolved_late, rated, satisfied, hours)
    VALUES (n_month, n_unit, n_assigned, 1, n_verified, n_rejected, n_resolved, n_late, n_rated, n_satisfied,
      CASE WHEN n_hour IS NULL THEN '{}' ELSE feedback_hours_move('{}', NULL, n_hour) END)
    ON CONFLICT (month, unit_id, assigned) DO UPDATE SET
      received = s.received + 1, verified = s.verified + excluded.verified, rejected = s.rejected + excluded.rejected,
      resolved = s.resolved + excluded.resolved, resolved_late = s.resolved_late + excluded.resolved_late,
      rated = s.rated + excluded.rated, satisfied = s.satisfied + excluded.satisfied,
      hours = CASE WHEN n_hour IS NULL THEN s.hours ELSE feedback_hours_move(s.hours, NULL, n_hour) END;
    RETURN NULL;
  END IF;

  IF TG_OP = 'DELETE' THEN
    PERFORM feedback_stats_add(o_month, o_unit, o_assigned, o_category, -1, -o_verified, -o_rejected, -o_resolved, -o_late, -o_rated, -o_satisfied, o_hour, NULL);
  ELSIF (o_month, o_unit, o_assigned, o_category) = (n_month, n_unit, n_assigned, n_category) THEN
    IF (o_verified, o_rejected, o_resolved, o_late, o_rated, o_satisfied) <> (n_verified, n_rejected, n_resolved, n_late, n_rated, n_satisfied)
       OR o_hour IS DISTINCT FROM n_hour THEN
      PERFORM feedback_stats_add(n_month, n_unit, n_assigned, n_category, 0, n_verified - o_verified, n_rejected - o_rejected,
        n_resolved - o_resolved, n_late - o_late, n_rated - o_rated, n_satisfied - o_satisfied, o_hour, n_hour);
    END IF;
  ELSIF (o_month, o_unit, o_assigned, o_category) < (n_month, n_unit, n_assigned, n_category) THEN
    PERFORM feedback_stats_add(o_month, o_unit, o_assigned, o_category, -1, -o_verified, -o_rejected, -o_resolved, -o_late, -o_rated, -o_satisfied, o_hour, NULL);
    PERFORM feedback_stats_add(n_month, n_unit, n_assigned, n_category, 1, n_verified, n_rejected, n_resolved, n_late, n_rated, n_satisfied, NULL, n_hour);
  ELSE
    PERFORM feedback_stats_add(n_month, n_unit, n_assigned, n_category, 1, n_verified, n_rejected, n_resolved, n_late, n_rated, n_satisfied, NULL, n_hour);
    PERFORM feedback_stats_add(o_month, o_unit, o_assigned, o_category, -1, -o_verified, -o_rejected, -o_resolved, -o_late, -o_rated, -o_satisfied, o_hour, NULL);
  END IF;

  IF TG_OP = 'DELETE' THEN
    PERFORM feedback_stats_add_unit(o_month, o_unit, o_assigned, -1, -o_verified, -o_rejected, -o_resolved, -o_late, -o_rated, -o_satisfied, o_hour, NULL);
  ELSIF (o_month, o_unit, o_assigned) = (n_month, n_unit, n_assigned) THEN
    IF (o_verified, o_rejected, o_resolved, o_late, o_rated, o_satisfied) <> (n_verified, n_rejected, n_resolved, n_late, n_rated, n_satisfied)
       OR o_hour IS DISTINCT FROM n_hour THEN
      PERFORM feedback_stats_add_unit(n_month, n_unit, n_assigned, 0, n_verified - o_verified, n_rejected - o_rejected,
        n_resolved - o_resolved, n_late - o_late, n_rated - o_rated, n_satisfied - o_satisfied, o_hour, n_hour);
    END IF;
  ELSIF (o_month, o_unit, o_assigned) < (n_month, n_unit, n_assigned) THEN
    PERFORM feedback_stats_add_unit(o_month, o_unit, o_assigned, -1, -o_verified, -o_rejected, -o_resolved, -o_late, -o_rated, -o_satisfied, o_hour, NULL);
    PERFORM feedback_stats_add_unit(n_month, n_unit, n_assigned, 1, n_verified, n_rejected, n_resolved, n_late, n_rated, n_satisfied, NULL, n_hour);
  ELSE
    PERFORM feedback_stats_add_unit(n_month, n_unit, n_assigned, 1, n_verified, n_rejected, n_resolved, n_late, n_rated, n_satisfied, NULL, n_hour);
    PERFORM feedback_stats_add_unit(o_month, o_unit, o_assigned, -1, -o_verified, -o_rejected, -o_resolved, -o_late, -o_rated, -o_satisfied, o_hour, NULL);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER feedback_stats_insert_delete AFTER INSERT OR DELETE ON feedback_reports
  FOR EACH ROW EXECUTE FUNCTION feedback_stats_track();
-- Most updates (start, extensions, answers, the overdue sweep, closing) change nothing the
-- statistics count: the condition skips them without entering the function.
CREATE TRIGGER feedback_stats_update AFTER UPDATE ON feedback_reports
  FOR EACH ROW
  WHEN (OLD.received_at IS DISTINCT FROM NEW.received_at
     OR OLD.category_id IS DISTINCT FROM NEW.category_id
     OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
     OR OLD.area_unit_id IS DISTINCT FROM NEW.area_unit_id
     OR (OLD.verified_at IS NULL) <> (NEW.verified_at IS NULL)
     OR (OLD.status = 'rejected') <> (NEW.status = 'rejected')
     OR (OLD.resolved_at IS NULL) <> (NEW.resolved_at IS NULL)
     OR (OLD.resolved_at > OLD.deadline) IS DISTINCT FROM (NEW.resolved_at > NEW.deadline)
     OR OLD.rating IS DISTINCT FROM NEW.rating
     OR OLD.handling_hours IS DISTINCT FROM NEW.handling_hours)
  EXECUTE FUNCTION feedback_stats_track();

-- A dense histogram from its non-empty buckets (parallel arrays of buckets and counts).
CREATE FUNCTION feedback_hours_of(buckets integer[], reports integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(coalesce(x.reports, 0) ORDER BY g.hour), '{}')
  FROM generate_series(0, (SELECT max(b) FROM unnest(buckets) AS b)) AS g (hour)
  LEFT JOIN unnest(buckets, reports) AS x (hour, reports) ON x.hour = g.hour
$$;

-- The rollups from scratch: after a bulk load that bypassed the trigger, or to repair them. Call it
-- in its own READ COMMITTED transaction: report changes wait while it runs (reads do not), and two
-- rebuilds never run at once.
CREATE FUNCTION feedback_stats_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE feedback_reports IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM feedback_stats_monthly;
  DELETE FROM feedback_stats_units;
  INSERT INTO feedback_stats_monthly (month, unit_id, assigned, category_id, received, verified, rejected, resolved, resolved_late, rated, satisfied, hours)
  SELECT k.month, k.unit_id, k.assigned, k.category_id, k.received, k.verified, k.rejected, k.resolved, k.resolved_late, k.rated, k.satisfied,
    coalesce(h.hours, '{}')
  FROM (
    SELECT feedback_month(received_at) AS month, coalesce(unit_id, area_unit_id, 0) AS unit_id, unit_id IS NOT NULL AS assigned, category_id,
      count(*) AS received, count(verified_at) AS verified, count(*) FILTER (WHERE status = 'rejected') AS rejected,
      count(resolved_at) AS resolved, count(*) FILTER (WHERE resolved_at > deadline) AS resolved_late,
      count(rating) AS rated, count(*) FILTER (WHERE rating = 'satisfied') AS satisfied
    FROM feedback_reports
    GROUP BY 1, 2, 3, 4) AS k
  LEFT JOIN (
    SELECT month, unit_id, assigned, category_id, feedback_hours_of(array_agg(hour), array_agg(reports)) AS hours
    FROM (
      SELECT feedback_month(received_at) AS month, coalesce(unit_id, area_unit_id, 0) AS unit_id, unit_id IS NOT NULL AS assigned,
        category_id, feedback_hour(handling_hours) AS hour, count(*)::integer AS reports
      FROM feedback_reports
      WHERE resolved_at IS NOT NULL AND handling_hours IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5) AS b
    GROUP BY 1, 2, 3, 4) AS h
    ON (h.month, h.unit_id, h.assigned, h.category_id) = (k.month, k.unit_id, k.assigned, k.category_id);
  INSERT INTO feedback_stats_units (month, unit_id, assigned, received, verified, rejected, resolved, resolved_late, rated, satisfied, hours)
  SELECT k.month, k.unit_id, k.assigned, k.received, k.verified, k.rejected, k.resolved, k.resolved_late, k.rated, k.satisfied, coalesce(h.hours, '{}')
  FROM (
    SELECT month, unit_id, assigned, sum(received), sum(verified), sum(rejected), sum(resolved), sum(resolved_late), sum(rated), sum(satisfied)
    FROM feedback_stats_monthly GROUP BY 1, 2, 3) AS k (month, unit_id, assigned, received, verified, rejected, resolved, resolved_late, rated, satisfied)
  LEFT JOIN (
    SELECT month, unit_id, assigned, feedback_hours_of(array_agg(hour), array_agg(reports)) AS hours
    FROM (
      SELECT m.month, m.unit_id, m.assigned, b.ord::integer - 1 AS hour, sum(b.reports)::integer AS reports
      FROM feedback_stats_monthly m, unnest(m.hours) WITH ORDINALITY AS b (reports, ord)
      GROUP BY 1, 2, 3, 4) AS u
    WHERE reports > 0
    GROUP BY 1, 2, 3) AS h
    ON (h.month, h.unit_id, h.assigned) = (k.month, k.unit_id, k.assigned);
END $$;

SELECT feedback_stats_rebuild();
