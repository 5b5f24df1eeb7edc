import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HitCounters } from '../../src/community/hit-counters.js';
import type { Db } from '../../src/db/connection.js';
import { testDatabases } from '../helpers/db.js';

describe.each(testDatabases())('rate-limit hit counters on $dialect', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => db?.close());

  const window = { start: '2026-03-01T10:00:00.000Z', endMs: Date.now() + 60_000 };
  const stored = async (bucket: string) =>
    (await db.kysely.selectFrom('rate_limit_hits').select('hits').where('bucket', '=', bucket).executeTakeFirst())?.hits ?? 0;

  it('counts exactly within a process and shares totals with another process through the database', async () => {
    const [first, second] = [new HitCounters(db), new HitCounters(db)];
    expect(await first.hit(['vote:ip:a', 'vote:account:u1'], window)).toEqual(new Map([['vote:ip:a', 1], ['vote:account:u1', 1]]));
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
    const counters = new HitCounters(db);
    await counters.hit(['comment:ip:b'], window);
    const flushing = counters.flush();
    const during = await Promise.all(Array.from({ length: 20 }, () => counters.hit(['comment:ip:b'], window)));
    await flushing;
    await counters.flush();
    expect(during.map((m) => m.get('comment:ip:b')).sort((a, b) => a! - b!).at(-1)).toBe(21);
    expect(await stored('comment:ip:b')).toBe(21);
  });

  it('gives each hit of a burst on a new window its own count, so a limit admits the first ones', async () => {
    const counters = new HitCounters(db);
    const burst = await Promise.all(Array.from({ length: 50 }, () => counters.hit(['subscribe:ip:c'], window)));
    expect(burst.map((m) => m.get('subscribe:ip:c')).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await counters.flush();
    expect(await stored('subscribe:ip:c')).toBe(50);
  });
});
