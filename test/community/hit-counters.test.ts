import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HitCounters } from '../../src/community/hit-counters.js';
import type { Db } from '../../src/db/connection.js';
import { testDatabases } from '../helpers/db.js';
import { captureLogs } from '../helpers/logs.js';

describe.each(testDatabases())('rate-limit hit counters on $dialect', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => db?.close());

  const quiet = captureLogs('silent').logger;
  const window = { start: '2026-03-01T10:00:00.000Z', endMs: Date.now() + 60_000 };
  const stored = async (bucket: string) =>
    (await db.kysely.selectFrom('rate_limit_hits').select('hits').where('bucket', '=', bucket).executeTakeFirst())
      ?.hits ?? 0;

  it('counts exactly within a process and shares totals with another process through the database', async () => {
    const [first, second] = [new HitCounters(db, quiet), new HitCounters(db, quiet)];
    expect(await first.hit(['vote:ip:a', 'vote:account:u1'], window)).toEqual(
      new Map([
        ['vote:ip:a', 1],
        ['vote:account:u1', 1],
      ]),
    );
    // The first hit on a window was written at once; later ones wait for the batch.
    expect(await stored('vote:ip:a')).toBe(1);
    expect((await first.hit(['vote:ip:a'], window)).get('vote:ip:a')).toBe(2);
    expect((await first.hit(['vote:ip:a'], window)).get('vote:ip:a')).toBe(3);
    expect(await stored('vote:ip:a')).toBe(1);
    await first.flush();
    expect(await stored('vote:ip:a')).toBe(3);
    // Another process starting on the same window reads what this one counted.
    expect((await second.hit(['vote:ip:a'], window)).get('vote:ip:a')).toBe(4);
    expect((await first.hit(['vote:ip:a'], window)).get('vote:ip:a')).toBe(4);
    await first.flush();
    expect((await first.hit(['vote:ip:a'], window)).get('vote:ip:a')).toBe(6);
  });

  it('keeps every hit made while a flush is running', async () => {
    const counters = new HitCounters(db, quiet);
    await counters.hit(['comment:ip:b'], window);
    const flushing = counters.flush();
    const during = await Promise.all(Array.from({ length: 20 }, () => counters.hit(['comment:ip:b'], window)));
    await flushing;
    await counters.flush();
    expect(
      during
        .map((m) => m.get('comment:ip:b'))
        .sort((a, b) => a! - b!)
        .at(-1),
    ).toBe(21);
    expect(await stored('comment:ip:b')).toBe(21);
  });

  it('gives each hit of a burst on a new window its own count, so a limit admits the first ones', async () => {
    const counters = new HitCounters(db, quiet);
    const burst = await Promise.all(Array.from({ length: 50 }, () => counters.hit(['subscribe:ip:c'], window)));
    expect(burst.map((m) => m.get('subscribe:ip:c')).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    await counters.flush();
    expect(await stored('subscribe:ip:c')).toBe(50);
  });

  /** Makes the database refuse any hit on the bucket `poison`, as PostgreSQL refused a NUL in a bucket name. */
  async function refusePoisonBucket(): Promise<void> {
    if (db.dialect === 'sqlite') {
      await sql`CREATE TRIGGER refuse_poison BEFORE INSERT ON rate_limit_hits WHEN NEW.bucket = 'poison'
        BEGIN SELECT RAISE(ABORT, 'poisoned bucket'); END`.execute(db.kysely);
      return;
    }
    await sql`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.bucket = 'poison' THEN RAISE EXCEPTION 'poisoned bucket'; END IF;
        RETURN NEW;
      END $$`.execute(db.kysely);
    await sql`CREATE TRIGGER refuse_poison BEFORE INSERT ON rate_limit_hits
      FOR EACH ROW EXECUTE FUNCTION refuse_poison()`.execute(db.kysely);
  }

  it('drops and logs hits the database refuses, keeps the rest of the batch, and serves later hits', async () => {
    await refusePoisonBucket();
    const logs = captureLogs('warn');
    const counters = new HitCounters(db, logs.logger);
    const first = await counters.hit(['poison', 'login:ip:d'], window);
    expect(first).toEqual(
      new Map([
        ['poison', 1],
        ['login:ip:d', 1],
      ]),
    );
    const warnings = logs.atLeast(40).map((e) => [e.msg, e.droppedCount]);
    expect(warnings).toEqual([['rate-limit hits the database refused were dropped', 1]]);
    expect(await stored('login:ip:d')).toBe(1);
    // The refused hit is not retried forever: later flushes store what they can, and this process still counts it.
    expect((await counters.hit(['login:ip:d'], window)).get('login:ip:d')).toBe(2);
    expect((await counters.hit(['poison'], window)).get('poison')).toBe(2);
    await counters.flush();
    expect(await stored('login:ip:d')).toBe(2);
    expect((await counters.hit(['login:ip:e'], window)).get('login:ip:e')).toBe(1);
    expect(await stored('login:ip:e')).toBe(1);
    expect(await stored('poison')).toBe(0);
  });
});
