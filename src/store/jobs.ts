import { sql, type Selectable, type UpdateObject } from 'kysely';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import type { JobsTable, Schema } from '../db/schema.js';

export interface Job {
  id: number;
  kind: string;
  payload: unknown;
  uniqueKey: string | null;
  attempts: number;
  maxAttempts: number;
}

function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: Number(row.id),
    kind: row.kind,
    payload: JSON.parse(row.payload),
    uniqueKey: row.unique_key,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
  };
}

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one job ever exists per unique key, so several schedulers can plan the same work safely. */
  uniqueKey?: string;
  maxAttempts?: number;
}

/** Queues a job; returns false when a job with the same unique key already exists. */
export async function enqueueJob(
  db: Db,
  kind: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<boolean> {
  const now = new Date();
  const result = await db.kysely
    .insertInto('jobs')
    .values({
      kind,
      payload: JSON.stringify(payload ?? {}),
      unique_key: options.uniqueKey ?? null,
      run_at: (options.runAt ?? now).toISOString(),
      max_attempts: options.maxAttempts ?? 5,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Which kinds a claim may take: only these, or every kind but these (a worker lane). */
export interface KindFilter {
  kinds?: string[];
  exceptKinds?: string[];
}

function kindCondition(filter: KindFilter) {
  if (filter.kinds) return filter.kinds.length > 0 ? sql`AND kind IN (${sql.join(filter.kinds)})` : sql`AND 1 = 0`;
  if (filter.exceptKinds?.length) return sql`AND kind NOT IN (${sql.join(filter.exceptKinds)})`;
  return sql``;
}

/**
 * Leases up to `limit` due jobs (of the kinds the filter allows) to one worker. On PostgreSQL concurrent workers skip each
 * other's rows (FOR UPDATE SKIP LOCKED); SQLite serialises writers, so the UPDATE alone is atomic.
 */
export async function claimDueJobs(
  db: Db,
  workerId: string,
  limit: number,
  leaseMs: number,
  now = new Date(),
  filter: KindFilter = {},
): Promise<Job[]> {
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const { rows } = await sql<Selectable<JobsTable>>`
    UPDATE jobs SET locked_by = ${workerId}, locked_until = ${leaseUntil}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM jobs
      WHERE done_at IS NULL AND run_at <= ${nowIso} AND attempts < max_attempts
        AND (locked_until IS NULL OR locked_until < ${nowIso}) ${kindCondition(filter)}
      ORDER BY run_at, id
      LIMIT ${limit}
      ${dialectOf(db).skipLockedRows}
    )
    RETURNING *`.execute(db.kysely);
  return rows.map(toJob);
}

/**
 * A job's outcome is recorded only by the worker that still holds its lease: once the lease ran out and
 * another worker took the job over, the old holder's word no longer counts (each returns false then).
 */
async function updateHeldJob(
  db: Db,
  id: number,
  workerId: string,
  set: UpdateObject<Schema, 'jobs'>,
): Promise<boolean> {
  const result = await db.kysely
    .updateTable('jobs')
    .set(set)
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function completeJob(db: Db, id: number, workerId: string): Promise<boolean> {
  return updateHeldJob(db, id, workerId, {
    done_at: new Date().toISOString(),
    locked_by: null,
    locked_until: null,
    last_error: null,
  });
}

/** Extends the leases of jobs a worker still holds (and still runs). */
export async function renewJobLeases(db: Db, workerId: string, ids: number[], leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  await db.kysely
    .updateTable('jobs')
    .set({ locked_until: new Date(Date.now() + leaseMs).toISOString() })
    .where('id', 'in', ids)
    .where('locked_by', '=', workerId)
    .where('done_at', 'is', null)
    .execute();
}

/** Retry delay after the n-th failed attempt: 30 s, 2 min, 8 min, … capped at 6 h (jobs, and mail in the outbox). */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 4 ** Math.max(0, attempt - 1), 6 * 3600_000);
}

/** Records a failure and schedules the next attempt (the job is abandoned once attempts reach max_attempts). */
export async function failJob(db: Db, id: number, workerId: string, error: string, retryAt: Date): Promise<boolean> {
  return updateHeldJob(db, id, workerId, {
    last_error: error.slice(0, 4000),
    run_at: retryAt.toISOString(),
    locked_by: null,
    locked_until: null,
  });
}

/** Gives back a job interrupted by shutdown: due again at once, the interrupted attempt not counted. */
export async function releaseJob(db: Db, id: number, workerId: string): Promise<boolean> {
  return updateHeldJob(db, id, workerId, {
    attempts: sql`attempts - 1`,
    locked_by: null,
    locked_until: null,
  });
}

export interface QueuedJobs {
  kind: string;
  queued: number;
  oldestAgeSeconds: number;
}

/** Due, unfinished jobs by kind (running or waiting for a slot), and how long the oldest has been due. */
export async function queuedJobsByKind(db: Db, now = new Date()): Promise<QueuedJobs[]> {
  const rows = await db.kysely
    .selectFrom('jobs')
    .select((eb) => ['kind', eb.fn.countAll<number>().as('queued'), eb.fn.min('run_at').as('oldest')])
    .where('done_at', 'is', null)
    .where('run_at', '<=', now.toISOString())
    .where((eb) => eb('attempts', '<', eb.ref('max_attempts')))
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    queued: Number(r.queued),
    oldestAgeSeconds: Math.max(0, (now.getTime() - Date.parse(r.oldest)) / 1000),
  }));
}

export interface JobSummary {
  kind: string;
  pending: number;
  done: number;
  failed: number;
}

export async function summariseJobs(db: Db): Promise<JobSummary[]> {
  const rows = await db.kysely
    .selectFrom('jobs')
    .select(['kind'])
    .select((eb) => [
      eb.fn.sum<number>(sql`CASE WHEN done_at IS NULL AND attempts < max_attempts THEN 1 ELSE 0 END`).as('pending'),
      eb.fn.sum<number>(sql`CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END`).as('done'),
      eb.fn.sum<number>(sql`CASE WHEN done_at IS NULL AND attempts >= max_attempts THEN 1 ELSE 0 END`).as('failed'),
    ])
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    pending: Number(r.pending),
    done: Number(r.done),
    failed: Number(r.failed),
  }));
}
