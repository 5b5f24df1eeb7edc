import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { trendingScore } from '../../src/store/trending.js';
import { upsertPapers } from '../../src/store/papers.js';
import { createUser } from '../../src/store/users.js';
import { papersWithDriftedCounts, setVote } from '../../src/store/votes.js';
import { paperRecord } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { paperRow } from './fixtures.js';

const SUBMITTED = Date.parse('2026-03-01T09:00:00Z');
const hoursLater = (h: number) => new Date(SUBMITTED + h * 3600_000);

describe.each(testDatabases())('vote counters in the store on $dialect', ({ create }) => {
  let db: Db;
  let users: string[];
  beforeAll(async () => {
    db = await create();
    users = [];
    for (let i = 0; i < 40; i++)
      users.push((await createUser(db, { email: `v${i}@example.org`, username: `voter${i}`, passwordHash: null })).id);
  });
  afterAll(async () => db?.close());

  async function submittedPaper(): Promise<string> {
    const record = paperRecord({ publishedOn: '2026-03-01' });
    await upsertPapers(db, [record], { featuredOn: '2026-03-01' });
    await db.kysely
      .updateTable('papers')
      .set({ submitted_at: new Date(SUBMITTED).toISOString() })
      .where('id', '=', record.id)
      .execute();
    return record.id;
  }

  /** Casts one vote change and checks the count and that the stored score equals a rescan by store/trending.ts. */
  function voteStepper(paper: string, halfLifeMs?: number) {
    const counted = new Map<string, number>();
    return async (user: number, wanted: boolean, hours: number) => {
      const outcome = await setVote(db, users[user]!, paper, wanted, hoursLater(hours), halfLifeMs);
      expect(outcome?.changed).toBe(true);
      if (wanted) counted.set(users[user]!, hoursLater(hours).getTime());
      else counted.delete(users[user]!);
      const row = await paperRow(db, paper);
      expect(row.upvotes).toBe(counted.size);
      expect(outcome!.upvotes).toBe(counted.size);
      expect(row.trending_score).toBeCloseTo(trendingScore(SUBMITTED, [...counted.values()], halfLifeMs), 9);
      return row.trending_score;
    };
  }

  it('keeps the trending score equal to a rescan of the votes through every kind of update', async () => {
    const step = voteStepper(await submittedPaper());
    await step(0, true, 1); // the paper had no score yet: rescanned
    await step(1, true, 2); // newer than everything: added on the larger side
    await step(2, true, 2);
    await step(3, true, 3);
    await step(1, false, 0); // removing one of several
    await step(4, true, 24 * 90); // three months on: every older event is below a score's precision
    await step(4, false, 0); // removing a vote that carried nearly all the weight: rescanned
    await step(0, false, 0);
    await step(2, false, 0);
    await step(3, false, 0); // back to the submission alone
  });

  it('scores with the half-life TypeScript passes, with no migration', async () => {
    const sixHours = 6 * 3600_000;
    const step = voteStepper(await submittedPaper(), sixHours);
    await step(0, true, 1);
    await step(1, true, 3); // added to the stored score, no rescan
    await step(2, true, 2);
    const score = await step(1, false, 0); // removed from the stored score
    const hours = [1, 2].map((h) => hoursLater(h).getTime());
    expect(score).toBeCloseTo(SUBMITTED / sixHours + Math.log2(1 + 2 ** (1 / 6) + 2 ** (2 / 6)), 9);
    expect(score).not.toBeCloseTo(trendingScore(SUBMITTED, hours), 3);
  });

  it('answers no change for a repeated vote or withdrawal, and null for a hidden or missing paper', async () => {
    const paper = await submittedPaper();
    expect(await setVote(db, users[0]!, paper, true)).toMatchObject({ changed: true, upvotes: 1 });
    expect(await setVote(db, users[0]!, paper, true)).toEqual({ changed: false, voted: true, upvotes: 1 });
    expect(await setVote(db, users[1]!, paper, false)).toEqual({ changed: false, voted: false, upvotes: 1 });
    expect(await setVote(db, users[1]!, '2601.00000', true)).toBeNull();
    await db.kysely.updateTable('papers').set({ hidden: 1 }).where('id', '=', paper).execute();
    expect(await setVote(db, users[1]!, paper, true)).toBeNull();
    expect(await setVote(db, users[0]!, paper, false)).toBeNull();
    expect((await paperRow(db, paper)).upvotes).toBe(1);
  });

  it('counts every vote when all voters toggle the same paper at once', async () => {
    // Without a count that sees the votes committed while it waited for the lock, this drifts within a round or two on PostgreSQL.
    for (let round = 0; round < 3; round++) {
      const paper = await submittedPaper();
      await Promise.all(users.map((user) => setVote(db, user, paper, true)));
      await Promise.all(users.filter((_, i) => i % 3 === 0).map((user) => setVote(db, user, paper, false)));
      await Promise.all(users.filter((_, i) => i % 6 === 0).map((user) => setVote(db, user, paper, true)));
      expect((await paperRow(db, paper)).upvotes).toBe(users.filter((_, i) => i % 3 !== 0 || i % 6 === 0).length);
    }
    expect(await papersWithDriftedCounts(db)).toEqual([]);
  });
});
