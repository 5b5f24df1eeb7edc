import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { withTransaction } from '../db/transaction.js';
import { enteredFeedAtMs, trendingScore } from '../rank/trending.js';

export interface VoteOutcome {
  /** False when the vote was already in the requested state (nothing was written). */
  changed: boolean;
  voted: boolean;
  upvotes: number;
}

/**
 * Locks a paper row until the transaction ends, so the transactions that re-derive its counters
 * run one after another and each counts the rows of those that committed before it: the last one
 * to commit always writes the full count. (SQLite has one writer at a time anyway.) FOR NO KEY
 * UPDATE leaves other transactions free to insert votes referencing the paper meanwhile.
 */
export async function lockPaper(tx: Db, paperId: string) {
  let query = tx.kysely.selectFrom('papers').select(['id', 'submitted_at', 'featured_on', 'published_on', 'created_at']).where('id', '=', paperId);
  if (tx.dialect === 'postgres') query = query.forNoKeyUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export type LockedPaper = NonNullable<Awaited<ReturnType<typeof lockPaper>>>;

/** Sets upvotes and trending_score of a paper from its vote rows (never from deltas). */
export async function rederiveVoteCounters(tx: Db, paper: LockedPaper): Promise<number> {
  const votes = await tx.kysely.selectFrom('votes').select('created_at').where('paper_id', '=', paper.id).execute();
  const entered = enteredFeedAtMs({ submittedAt: paper.submitted_at, featuredOn: paper.featured_on, publishedOn: paper.published_on, createdAt: paper.created_at });
  const score = trendingScore(entered, votes.map((v) => Date.parse(v.created_at)));
  await tx.kysely.updateTable('papers').set({ upvotes: votes.length, trending_score: score }).where('id', '=', paper.id).execute();
  return votes.length;
}

/**
 * Puts a user's vote on a paper into the wanted state; the count and trending score are
 * re-derived from the votes table in the same transaction. Null when the paper is missing or hidden.
 */
export async function setVote(db: Db, userId: string, paperId: string, wanted: boolean, now = new Date()): Promise<VoteOutcome | null> {
  return withTransaction(db, async (tx) => {
    const visible = await tx.kysely.selectFrom('papers').select('id').where('id', '=', paperId).where('hidden', '=', 0).executeTakeFirst();
    if (!visible) return null;
    const result = wanted
      ? await tx.kysely
          .insertInto('votes')
          .values({ user_id: userId, paper_id: paperId, created_at: now.toISOString() })
          .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
          .executeTakeFirst()
      : await tx.kysely.deleteFrom('votes').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
    const changed = Number('numInsertedOrUpdatedRows' in result ? result.numInsertedOrUpdatedRows : result.numDeletedRows) > 0;
    if (!changed) {
      const current = await tx.kysely.selectFrom('papers').select('upvotes').where('id', '=', paperId).executeTakeFirstOrThrow();
      return { changed, voted: wanted, upvotes: current.upvotes };
    }
    // Only the re-derivation waits for the lock; the row change above runs concurrently.
    return { changed, voted: wanted, upvotes: await rederiveVoteCounters(tx, (await lockPaper(tx, paperId))!) };
  });
}

/** Which of these papers the user has upvoted. */
export async function votedPaperIds(db: Db, userId: string, paperIds: string[]): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db.kysely.selectFrom('votes').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', paperIds).execute();
  return new Set(rows.map((r) => r.paper_id));
}

/** Papers whose stored upvotes differ from their vote rows (should always be empty; the load test checks it). */
export async function papersWithDriftedCounts(db: Db): Promise<{ id: string; upvotes: number; rows: number }[]> {
  const rows = await db.kysely
    .selectFrom('papers')
    .select(['id', 'upvotes', sql<number>`(SELECT COUNT(*) FROM votes WHERE votes.paper_id = papers.id)`.as('rows')])
    .execute();
  return rows.filter((r) => r.upvotes !== Number(r.rows)).map((r) => ({ id: r.id, upvotes: r.upvotes, rows: Number(r.rows) }));
}
