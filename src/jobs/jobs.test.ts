import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { testDatabases } from '../../test/helpers/db.js';
import {
  claimDueJobs,
  completeJob,
  enqueueJob,
  failJob,
  releaseJob,
  retryDelayMs,
  summariseJobs,
} from '../store/jobs.js';
import { dailyAt, Scheduler } from './scheduler.js';
import { Worker } from './worker.js';

const logger = pino({ level: 'silent' });

describe.each(testDatabases())('jobs on $dialect', ({ create }) => {
  let db: Db;
  beforeEach(async () => {
    db = await create();
  });
  afterEach(async () => {
    await db.close();
  });

  it('runs due jobs once, retries failures, and leaves future jobs alone', async () => {
    const seen: unknown[] = [];
    let failures = 1;
    await enqueueJob(db, 'echo', { n: 1 });
    await enqueueJob(db, 'flaky', {});
    await enqueueJob(db, 'echo', { n: 2 }, { runAt: new Date(Date.now() + 3600_000) });
    const worker = new Worker(db, {
      logger,
      concurrency: 2,
      handlers: {
        echo: async (payload) => void seen.push(payload),
        flaky: async () => {
          if (failures-- > 0) throw new Error('upstream down');
        },
      },
    });
    expect(await worker.drain()).toBe(2);
    expect(seen).toEqual([{ n: 1 }]);
    const summary = await summariseJobs(db);
    expect(summary).toEqual([
      { kind: 'echo', pending: 1, done: 1, failed: 0 },
      { kind: 'flaky', pending: 1, done: 0, failed: 0 },
    ]);
    const row = await db.kysely.selectFrom('jobs').selectAll().where('kind', '=', 'flaky').executeTakeFirstOrThrow();
    expect(row.last_error).toBe('upstream down');
    expect(new Date(row.run_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('a unique key plans a job only once, across ticks', async () => {
    const scheduler = new Scheduler(db, [dailyAt('ingest', '06:00')], logger);
    expect(await scheduler.tick(new Date('2026-11-29T05:59:00Z'))).toBe(0);
    expect(await scheduler.tick(new Date('2026-11-29T06:01:00Z'))).toBe(1);
    expect(await scheduler.tick(new Date('2026-11-29T09:00:00Z'))).toBe(0);
    const job = await db.kysely.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(job.payload)).toEqual({ day: '2026-11-28' });
  });

  it('two workers never lease the same job', async () => {
    for (let i = 0; i < 10; i++) await enqueueJob(db, 'k', { i });
    const [a, b] = await Promise.all([claimDueJobs(db, 'a', 10, 60_000), claimDueJobs(db, 'b', 10, 60_000)]);
    const ids = [...a, ...b].map((j) => j.id);
    expect(ids.length).toBe(10);
    expect(new Set(ids).size).toBe(10);
  });

  it('a running job keeps its lease, so no other worker takes it while it runs', async () => {
    await enqueueJob(db, 'long', {});
    let finish = () => {};
    const running = new Promise<void>((resolve) => (finish = resolve));
    const worker = new Worker(db, { logger, concurrency: 1, leaseMs: 300, handlers: { long: () => running } });
    const drained = worker.drain();
    // Three leases' time: without renewal the job would be free after the first.
    for (let i = 0; i < 9; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await claimDueJobs(db, 'other', 1, 60_000)).toEqual([]);
    }
    finish();
    expect(await drained).toBe(1);
    expect(await summariseJobs(db)).toEqual([{ kind: 'long', pending: 0, done: 1, failed: 0 }]);
  });

  it('a worker whose lease ran out and was taken over can no longer complete, fail or release the job', async () => {
    await enqueueJob(db, 'slow', {});
    const start = new Date();
    const [first] = await claimDueJobs(db, 'old', 1, 1000, start);
    // The first holder stalls past its lease; a second worker takes the job over.
    const [second] = await claimDueJobs(db, 'new', 1, 60_000, new Date(start.getTime() + 2000));
    expect(second!.id).toBe(first!.id);
    expect(await completeJob(db, first!.id, 'old')).toBe(false);
    expect(await failJob(db, first!.id, 'old', 'late failure', new Date(Date.now() + 3600_000))).toBe(false);
    expect(await releaseJob(db, first!.id, 'old')).toBe(false);
    const held = await db.kysely.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect({ by: held.locked_by, done: held.done_at, error: held.last_error, attempts: held.attempts }).toEqual({
      by: 'new',
      done: null,
      error: null,
      attempts: 2,
    });
    expect(await completeJob(db, second!.id, 'new')).toBe(true);
    expect(await summariseJobs(db)).toEqual([{ kind: 'slow', pending: 0, done: 1, failed: 0 }]);
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially and caps at six hours', () => {
    expect(retryDelayMs(1)).toBe(30_000);
    expect(retryDelayMs(2)).toBe(120_000);
    expect(retryDelayMs(20)).toBe(6 * 3600_000);
  });
});
