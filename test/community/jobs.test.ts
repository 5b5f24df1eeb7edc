import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { jobHandlers, schedules } from '../../src/jobs/tasks.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { Worker } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import { enforceRateLimit } from '../../src/community/rate-limit.js';
import { testDatabases } from '../helpers/db.js';
import { paperRow, storedPaper } from './fixtures.js';
import { appContextAround } from '../../src/app/context.js';

describe.each(testDatabases())('community background jobs on $dialect', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db.close();
  });

  it('plans the trending recompute and the prune, and running them scores imported papers and drops stale counters', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const logger = createLogger('silent');
    const paper = await storedPaper(db);
    expect((await paperRow(db, paper.id)).trending_score).toBe(0);
    const old = new Date(Date.now() - 3 * 86_400_000);
    const ctx = appContextAround({ db, config, logger });
    await enforceRateLimit(ctx, 'vote', { account: 'u1', ip: '127.0.0.9' }, old);
    await enforceRateLimit(ctx, 'vote', { account: 'u1', ip: '127.0.0.9' });

    const ours = schedules(config).filter((s) => s.kind === 'rank.trending' || s.kind === 'community.prune');
    expect(ours).toHaveLength(2);
    expect(await new Scheduler(db, ours, logger).tick()).toBe(2);
    const worker = new Worker(db, { handlers: jobHandlers(ctx), concurrency: 1, logger });
    expect(await worker.drain()).toBe(2);

    expect((await paperRow(db, paper.id)).trending_score).toBeGreaterThan(20_000);
    const counters = await db.kysely.selectFrom('rate_limit_hits').select('window_start').execute();
    expect(counters.map((c) => c.window_start).every((start) => Date.parse(start) > old.getTime())).toBe(true);
    expect(counters.length).toBe(2);
  });
});
