import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionLock } from '../../src/db/advisory-lock.js';
import type { Db } from '../../src/db/connection.js';
import { every, Scheduler } from '../../src/jobs/scheduler.js';
import { freshPostgres } from '../helpers/db.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const logger = pino({ level: 'silent' });
const KEY = 4242;

describe('schedulers on one PostgreSQL database', () => {
  let db: Db;
  let admin: pg.Client;
  const schedulers: Scheduler[] = [];

  beforeAll(async () => {
    if (!adminUrl)
      throw new Error('The cluster suite needs a PostgreSQL server: set TEST_DATABASE_URL (.ci/run does).');
    db = await freshPostgres(adminUrl);
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    for (const scheduler of schedulers) await scheduler.stop();
    await admin?.end();
    await db?.close();
  });

  const scheduler = () => {
    const lock = new SessionLock({ openSession: db.openSession! }, KEY, () => {});
    const made = new Scheduler(db, [every('a.task', 10), every('b.task', 60)], logger, 30_000, lock);
    schedulers.push(made);
    return made;
  };
  const plannedKeys = async () =>
    (await db.kysely.selectFrom('jobs').select('unique_key').orderBy('unique_key').execute()).map((j) => j.unique_key);
  /** The backend holding our advisory lock. */
  const lockHolder = async () => {
    const { rows } = await admin.query("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1", [KEY]);
    return rows.map((r) => r.pid as number);
  };

  it('one leads and plans each job once; when its session dies, the other takes over at its next tick', async () => {
    const [first, second] = [scheduler(), scheduler()];
    const t0 = new Date('2026-12-01T10:00:00Z');
    const planned = await Promise.all([first.tick(t0), second.tick(t0)]);
    expect(planned.sort()).toEqual([0, 2]);
    expect(await first.tick(t0)).toBe(0);
    expect(await lockHolder()).toHaveLength(1);

    // The leader's session ends as a SIGKILLed process's would: PostgreSQL releases the lock.
    const leader = planned[0] === 2 ? first : second;
    const follower = leader === first ? second : first;
    await admin.query('SELECT pg_terminate_backend($1)', await lockHolder());
    // pg_terminate_backend returns before the backend has gone; the lock goes with it.
    for (let i = 0; i < 100 && (await lockHolder()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    const t1 = new Date('2026-12-01T10:10:00Z');
    const afterDeath = [await follower.tick(t1), await leader.tick(t1)];
    // The follower leads now; the old leader reconnects and finds the lock taken.
    expect(afterDeath).toEqual([1, 0]);
    expect(await plannedKeys()).toEqual([
      expect.stringMatching(/^a\.task:every10m:/),
      expect.stringMatching(/^a\.task:every10m:/),
      expect.stringMatching(/^b\.task:every60m:/),
    ]);

    // A leader that stops gives the lead up; the other takes it at once.
    await follower.stop();
    expect(await leader.tick(new Date('2026-12-01T10:20:00Z'))).toBe(1);
    expect(new Set(await plannedKeys()).size).toBe(4);
  });
});
