import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoteBatcher } from '../../src/community/vote-batcher.js';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { enteredFeedAtMs, trendingScore } from '../../src/store/trending.js';
import { createUser } from '../../src/store/users.js';
import { papersWithDriftedCounts, type VoteOutcome } from '../../src/store/votes.js';
import { databaseUrl, testDatabases } from '../helpers/db.js';
import { paperRow, storedPaper } from './fixtures.js';

const MEMBERS = 60;

/**
 * Votes written in batches per paper (group commit) by two processes' batchers on one database: every
 * answer says what happened, and the answers, the stored counts and the vote rows agree.
 */
describe.each(testDatabases({ poolSize: 10 }))('votes in batches from two processes on $dialect', ({ create }) => {
  let db: Db;
  let other: Db;
  let batchers: VoteBatcher[];
  let members: string[];
  beforeAll(async () => {
    db = await create();
    other = await openDatabase(databaseUrl(db), { poolSize: 10, readerThreads: 0 });
    batchers = [new VoteBatcher(db), new VoteBatcher(other)];
    members = [];
    for (let i = 0; i < MEMBERS; i++)
      members.push(
        (await createUser(db, { email: `b${i}@example.org`, username: `batch${i}`, passwordHash: null })).id,
      );
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await db?.close();
  });

  /** Upvotes minus withdrawals that answered "changed": what a member who trusts the answers believes. */
  const netChanges = (wanted: boolean[], outcomes: (VoteOutcome | null)[]) =>
    outcomes.reduce((sum, outcome, i) => sum + (outcome?.changed ? (wanted[i] ? 1 : -1) : 0), 0);

  it('answers one member voting and withdrawing at once through both processes consistently with the rows', async () => {
    const { id: paper } = await storedPaper(db);
    const wanted = Array.from({ length: 40 }, (_, i) => i % 3 !== 1);
    const outcomes = await Promise.all(
      wanted.map((w, i) => batchers[i % 2]!.cast(paper, { userId: members[0]!, wanted: w, at: new Date() })),
    );
    const row = await paperRow(db, paper);
    expect(netChanges(wanted, outcomes)).toBe(row.upvotes);
    expect([0, 1]).toContain(row.upvotes);
    expect(await papersWithDriftedCounts(db)).toEqual([]);
  });

  it('keeps every count equal to its rows and to the answers while many members toggle several papers', async () => {
    const papers = [(await storedPaper(db)).id, (await storedPaper(db)).id, (await storedPaper(db)).id];
    const casts = Array.from({ length: 600 }, (_, i) => ({
      paper: papers[i % 3]!,
      userId: members[(i * 7) % MEMBERS]!,
      wanted: i % 5 !== 0,
    }));
    const outcomes = await Promise.all(
      casts.map((c, i) => batchers[i % 2]!.cast(c.paper, { userId: c.userId, wanted: c.wanted, at: new Date() })),
    );
    for (const paper of papers) {
      const mine = casts.flatMap((c, i) => (c.paper === paper ? [{ wanted: c.wanted, outcome: outcomes[i]! }] : []));
      const net = netChanges(
        mine.map((m) => m.wanted),
        mine.map((m) => m.outcome),
      );
      const row = await paperRow(db, paper);
      expect(row.upvotes).toBe(net);
      expect(row.upvotes).toBeGreaterThan(0);
      const times = await db.kysely.selectFrom('votes').select('created_at').where('paper_id', '=', paper).execute();
      const paperRecord = await db.kysely
        .selectFrom('papers')
        .select(['submitted_at', 'featured_on', 'published_on', 'created_at'])
        .where('id', '=', paper)
        .executeTakeFirstOrThrow();
      const entered = enteredFeedAtMs({
        submittedAt: paperRecord.submitted_at,
        featuredOn: paperRecord.featured_on,
        publishedOn: paperRecord.published_on,
        createdAt: paperRecord.created_at,
      });
      const voteTimes = times.map((t) => Date.parse(t.created_at));
      expect(row.trending_score).toBeCloseTo(trendingScore(entered, voteTimes), 9);
    }
    expect(await papersWithDriftedCounts(db)).toEqual([]);
  });

  it('answers every vote of a batch on a hidden paper with nothing to vote on', async () => {
    const { id: paper } = await storedPaper(db);
    await db.kysely.updateTable('papers').set({ hidden: 1 }).where('id', '=', paper).execute();
    const outcomes = await Promise.all(
      members.slice(0, 5).map((userId) => batchers[0]!.cast(paper, { userId, wanted: true, at: new Date() })),
    );
    expect(outcomes).toEqual([null, null, null, null, null]);
    expect((await paperRow(db, paper)).upvotes).toBe(0);
  });

  it('counts the other votes of a batch when one of them cannot be stored', async () => {
    const { id: paper } = await storedPaper(db);
    const cast = (userId: string) => batchers[0]!.cast(paper, { userId, wanted: true, at: new Date() });
    // The first vote is written alone; the rest wait for it and go together, the unknown member among them.
    const settled = await Promise.allSettled([
      cast(members[0]!),
      cast(members[1]!),
      cast('no-such-member'),
      cast(members[2]!),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(settled[3]).toMatchObject({ value: { changed: true, voted: true, upvotes: 3 } });
    expect((await paperRow(db, paper)).upvotes).toBe(3);
  });
});
