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
 * Statements under way at once. More than one lets a batch run while another waits for its commit
 * to reach the disk, or for the search index's pending list that it happens to flush; so that
 * they never deadlock, no two of them write reports of the same area unit (below).
 */
export const SUBMISSION_STATEMENTS = 2;
/** Reports in one statement at most. */
export const SUBMISSION_BATCH = 64;

/**
 * The unit whose statistics rollup rows a new report's insert locks until the commit (the trigger
 * of migration 004 keys them by month, responsible unit and category; a new report's responsible
 * unit is its area's, 0 without one). Batches under way at once never share one, so they lock
 * disjoint rows and cannot deadlock, whatever order each takes them in.
 */
const rollupUnit = (s: Submission) => s.report.area_unit_id ?? 0;

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
  /** The rollup units of the statements under way. */
  const writing = new Set<number>();
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

  /**
   * The next batch: the oldest waiting submissions, up to SUBMISSION_BATCH, but none of a unit that
   * a statement under way writes to (those wait for it, and go in the batch after it).
   */
  function nextBatch(): Waiting[] {
    const batch: Waiting[] = [];
    let kept = 0;
    for (const w of waiting) {
      if (batch.length < SUBMISSION_BATCH && !writing.has(rollupUnit(w.submission))) batch.push(w);
      else waiting[kept++] = w;
    }
    waiting.length = kept;
    return batch;
  }

  function pump() {
    while (running < SUBMISSION_STATEMENTS && waiting.length > 0) {
      const batch = nextBatch();
      if (batch.length === 0) return;
      const units = new Set(batch.map((w) => rollupUnit(w.submission)));
      for (const u of units) writing.add(u);
      running++;
      void write(batch).finally(() => {
        for (const u of units) writing.delete(u);
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
