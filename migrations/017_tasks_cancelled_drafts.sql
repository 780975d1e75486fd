-- A draft may be cancelled (the lifecycle allows it: a draft the issuer gives up, or one under a
-- task that is cancelled), but the table required every task other than a draft to have been
-- issued, so cancelling a draft failed. A cancelled task has an issue time only if it was issued;
-- task_timeliness() and the kept counts already treat one without it as never issued.
DO $$
DECLARE
  name text;
BEGIN
  SELECT conname INTO STRICT name FROM pg_constraint
  WHERE conrelid = 'tasks'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%issued_at IS NOT NULL%';
  EXECUTE format('ALTER TABLE tasks DROP CONSTRAINT %I', name);
END $$;
ALTER TABLE tasks ADD CONSTRAINT tasks_issued_check CHECK (status IN ('draft', 'cancelled') OR issued_at IS NOT NULL);
