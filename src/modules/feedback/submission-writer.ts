// Submissions are written in batches: those that arrive while a statement is running go together
// into the next one. A batch is one statement — one round trip, one commit, and one hold of
// PostgreSQL's notify lock, which serialises the commits of all transactions that notify — so a
// burst of reports costs a few statements instead of one each, while a lone report goes at once.

import type pg from 'pg';
import type { Db } from '../../db/kysely.js';
import { auditInsert } from '../../platform/audit/audit.js';
import type { Bus, BusEvent } from '../../platform/bus/bus.js';
import { fromDatabaseError } from '../../platform/errors/pg-errors.js';
import * as repo from './repo.js';

/**
 * Statements under way at once. One: each report's row in the statistics rollups is locked by
 * the trigger on feedback_reports until the commit, and two batches written side by side would
 * take those locks in different orders and deadlock. One at a time, the batches simply grow.
 */
export const SUBMISSION_STATEMENTS = 1;
/** Reports in one statement at most. */
export const SUBMISSION_BATCH = 64;

export interface Submission extends repo.NewSubmission {
  /** The audit entry's orgUnitId and after (the entity id is the new report's). */
  audit: { orgUnitId: number | null; after: Record<string, unknown> };
  /** Published once the report is stored (in the same statement on PostgreSQL). */
  notice: BusEvent;
}

export interface Stored {
  id: number;
  receivedAt: Date;
}

interface Waiting {
  submission: Submission;
  resolve: (stored: Stored | undefined) => void;
  reject: (err: unknown) => void;
}

export function createSubmissionWriter(deps: { db: Db; pool: pg.Pool; bus: Bus }) {
  const { db, pool, bus } = deps;
  const waiting: Waiting[] = [];
  let running = 0;

  async function write(batch: Waiting[]): Promise<void> {
    const submissions = batch.map((w) => w.submission);
    let stored: Map<string, { id: number; received_at: Date }>;
    let inStatement = false;
    try {
      stored = await repo.insertSubmissions(
        { db, pool },
        submissions,
        (rows) =>
          auditInsert(
            submissions.map((s) => ({ actor: null, entry: { module: 'feedback', action: 'submit', entityType: 'feedback_report', ...s.audit } })),
            rows,
          ),
        (n) => {
          const notify = bus.publishSql(
            submissions.map((s) => s.notice),
            n,
          );
          inStatement = notify !== null;
          return notify;
        },
      );
    } catch (err) {
      // An unreachable database fails them all at once; one submission the database refuses
      // must not fail the others written with it: each is tried again alone.
      if (batch.length === 1 || fromDatabaseError(err)?.status === 503) {
        for (const w of batch) w.reject(err);
        return;
      }
      for (const w of batch) await write([w]);
      return;
    }
    for (const w of batch) {
      const row = stored.get(w.submission.report.code);
      if (row && !inStatement) bus.publish(w.submission.notice);
      w.resolve(row && { id: row.id, receivedAt: row.received_at });
    }
  }

  function pump() {
    while (running < SUBMISSION_STATEMENTS && waiting.length > 0) {
      running++;
      void write(waiting.splice(0, SUBMISSION_BATCH)).finally(() => {
        running--;
        pump();
      });
    }
  }

  return {
    /**
     * Stores a report with its photos, timeline event, audit row and bus notice, all or nothing.
     * Undefined when its tracking code is already taken: nothing of it was stored.
     */
    write(submission: Submission): Promise<Stored | undefined> {
      return new Promise((resolve, reject) => {
        waiting.push({ submission, resolve, reject });
        pump();
      });
    },
  };
}

export type SubmissionWriter = ReturnType<typeof createSubmissionWriter>;
