-- The task list and the scorecard without reading every task (issue 5: 200,000 tasks across 300
-- units, a subtree's list by status p95 < 50 ms, the province's scorecard for a year p95 < 100 ms).
--
-- Lists: a subtree's page and total by status from the indexes, without visiting the table (the
-- default order is due_on, id); when the actor sees every task, the total comes from
-- task_status_counts, a count per lead unit and status.
--
-- Scorecard (src/modules/tasks/repo.ts scorecardCounts): for a period [start, end] judged as of
-- now (it ends today or later), the tasks counted are those completed since start and those open
-- now, so
-- - completed on time / late: whole months from task_completions_monthly, the days before the
--   first whole month from task_completions_daily;
-- - in progress: the open ones per lead unit from task_status_counts, the overdue among them
--   (deadline before today) from tasks_open_idx.
-- A period that ended before now is judged as of its end from the rows (the slower path).
--
-- The three tables are kept by statement-level triggers in the same transaction as the change (a
-- bulk INSERT … SELECT updates them in one pass over its transition table); task_counts_rebuild()
-- computes them from scratch. Days and months are Vietnam's (UTC+7).

DROP INDEX tasks_lead_status_idx;
CREATE INDEX tasks_lead_status_idx ON tasks (lead_unit_id, status, due_on, id);
-- One status in the default order, the lead unit checked in the index: the first page of a large
-- subtree (the province's 175,000 completed tasks) is its first rows.
DROP INDEX tasks_status_due_idx;
CREATE INDEX tasks_status_due_idx ON tasks (status, due_on, id) INCLUDE (lead_unit_id);
CREATE INDEX tasks_open_idx ON tasks (due_on, lead_unit_id) WHERE status IN ('in_progress', 'submitted');
-- The latest change: the scorecard reads the kept counts only when no task changed after the
-- instant it judges (else, with a clock set back, it counts from the rows); also sort=-updatedAt.
CREATE INDEX tasks_updated_idx ON tasks (updated_at);

-- Completed after the end of the deadline in force when it was completed: task_timeliness()'s
-- 'completed_late' (migration 012).
CREATE FUNCTION task_completed_late(completed_at timestamptz, due_on date, changed_at timestamptz[], replaced date[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(completed_at >= ((task_due_at(due_on, changed_at, replaced, completed_at) + 1)::timestamp AT TIME ZONE INTERVAL '07:00'), false)
$$;


-- Tasks per lead unit (0: none yet, a draft) and status.
CREATE TABLE task_status_counts (
  lead_unit_id  integer NOT NULL,
  status        text NOT NULL,
  n             integer NOT NULL,
  PRIMARY KEY (lead_unit_id, status)
);

-- Completed tasks per lead unit and month (its first day) or day of completion, on time and late.
CREATE TABLE task_completions_monthly (
  month         date NOT NULL,
  lead_unit_id  integer NOT NULL,
  on_time       integer NOT NULL,
  late          integer NOT NULL,
  PRIMARY KEY (month, lead_unit_id)
);
CREATE TABLE task_completions_daily (
  day           date NOT NULL,
  lead_unit_id  integer NOT NULL,
  on_time       integer NOT NULL,
  late          integer NOT NULL,
  PRIMARY KEY (day, lead_unit_id)
);

-- The statements that add the counts of a set of task rows (`source`: a query giving s = +1 or -1
-- and the task columns) to the tables; rows whose contributions cancel out (most updates) touch
-- nothing. Keys in order, so concurrent statements lock counter rows in the same order.
CREATE FUNCTION task_counts_sql(source text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  -- Each completion with its day (in Vietnam) and whether it was late.
  completions constant text := format(
    'SELECT s, lead_unit_id, (completed_at AT TIME ZONE INTERVAL ''07:00'')::date AS day,
       task_completed_late(completed_at, due_on, due_changed_at, due_before) AS late
     FROM (%s) d WHERE completed_at IS NOT NULL AND lead_unit_id IS NOT NULL', source);
BEGIN
  RETURN ARRAY[format($f$
    INSERT INTO task_status_counts AS c (lead_unit_id, status, n)
    SELECT coalesce(lead_unit_id, 0), status, sum(s) FROM (%s) d GROUP BY 1, 2 HAVING sum(s) <> 0 ORDER BY 1, 2
    ON CONFLICT (lead_unit_id, status) DO UPDATE SET n = c.n + excluded.n$f$, source),
  format($f$
    INSERT INTO task_completions_daily AS c (day, lead_unit_id, on_time, late)
    SELECT day, lead_unit_id, coalesce(sum(s) FILTER (WHERE NOT late), 0), coalesce(sum(s) FILTER (WHERE late), 0)
    FROM (%s) x GROUP BY 1, 2 HAVING coalesce(sum(s) FILTER (WHERE NOT late), 0) <> 0 OR coalesce(sum(s) FILTER (WHERE late), 0) <> 0 ORDER BY 1, 2
    ON CONFLICT (day, lead_unit_id) DO UPDATE SET on_time = c.on_time + excluded.on_time, late = c.late + excluded.late$f$, completions),
  format($f$
    INSERT INTO task_completions_monthly AS c (month, lead_unit_id, on_time, late)
    SELECT date_trunc('month', day)::date, lead_unit_id, coalesce(sum(s) FILTER (WHERE NOT late), 0), coalesce(sum(s) FILTER (WHERE late), 0)
    FROM (%s) x GROUP BY 1, 2 HAVING coalesce(sum(s) FILTER (WHERE NOT late), 0) <> 0 OR coalesce(sum(s) FILTER (WHERE late), 0) <> 0 ORDER BY 1, 2
    ON CONFLICT (month, lead_unit_id) DO UPDATE SET on_time = c.on_time + excluded.on_time, late = c.late + excluded.late$f$, completions)];
END $$;

-- A statement's tasks: the old rows leave the counts, the new ones enter them. The transition
-- tables are visible only to statements run by the trigger's function itself, hence EXECUTE here.
CREATE FUNCTION task_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cols constant text := 'lead_unit_id, status, completed_at, due_on, due_changed_at, due_before';
  statement text;
BEGIN
  FOREACH statement IN ARRAY task_counts_sql(CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT 1 AS s, %s FROM new_tasks', cols)
    WHEN 'DELETE' THEN format('SELECT -1 AS s, %s FROM old_tasks', cols)
    ELSE format('SELECT 1 AS s, %s FROM new_tasks UNION ALL SELECT -1, %s FROM old_tasks', cols, cols) END)
  LOOP
    EXECUTE statement;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks
  REFERENCING NEW TABLE AS new_tasks FOR EACH STATEMENT EXECUTE FUNCTION task_counts_track();
CREATE TRIGGER task_counts_update AFTER UPDATE ON tasks
  REFERENCING OLD TABLE AS old_tasks NEW TABLE AS new_tasks FOR EACH STATEMENT EXECUTE FUNCTION task_counts_track();
CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS old_tasks FOR EACH STATEMENT EXECUTE FUNCTION task_counts_track();

CREATE FUNCTION task_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_status_counts;
  DELETE FROM task_completions_monthly;
  DELETE FROM task_completions_daily;
  RETURN NULL;
END $$;
CREATE TRIGGER task_counts_truncate AFTER TRUNCATE ON tasks FOR EACH STATEMENT EXECUTE FUNCTION task_counts_truncate();

-- The counts from scratch (the repair path; also what the tables hold after this migration).
CREATE FUNCTION task_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  statement text;
BEGIN
  DELETE FROM task_status_counts;
  DELETE FROM task_completions_monthly;
  DELETE FROM task_completions_daily;
  FOREACH statement IN ARRAY task_counts_sql('SELECT 1 AS s, lead_unit_id, status, completed_at, due_on, due_changed_at, due_before FROM tasks')
  LOOP
    EXECUTE statement;
  END LOOP;
END $$;
SELECT task_counts_rebuild();
