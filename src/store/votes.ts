import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { withTransaction } from '../db/transaction.js';
import { enteredFeedAtMs, HALF_LIFE_MS, scoreWithoutVote, scoreWithVote, trendingScore } from '../rank/trending.js';

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
 * UPDATE leaves other transactions free to insert votes referencing the paper meanwhile. The
 * counting statement must come after this one: under READ COMMITTED a statement that waited for
 * the lock itself would still count from the snapshot it started with.
 */
export async function lockPaper(tx: Db, paperId: string) {
  let query = tx.kysely
    .selectFrom('papers')
    .select(['id', 'submitted_at', 'featured_on', 'published_on', 'created_at', 'trending_score'])
    .where('id', '=', paperId);
  if (tx.dialect === 'postgres') query = query.forNoKeyUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export type LockedPaper = NonNullable<Awaited<ReturnType<typeof lockPaper>>>;

const enteredFeedAt = (paper: LockedPaper) =>
  enteredFeedAtMs({ submittedAt: paper.submitted_at, featuredOn: paper.featured_on, publishedOn: paper.published_on, createdAt: paper.created_at });

/** The number of counted votes on the paper: one COUNT over the (paper_id, counted) index. */
const countedVotes = (tx: Db, paperId: string) =>
  tx.kysely.selectFrom('votes').select(sql<number>`COUNT(*)`.as('n')).where('paper_id', '=', paperId).where('counted', '=', 1);

/** Sets upvotes and trending_score of a locked paper from all its counted vote rows (never from deltas). */
export async function rederiveVoteCounters(tx: Db, paper: LockedPaper): Promise<number> {
  const votes = await tx.kysely.selectFrom('votes').select('created_at').where('paper_id', '=', paper.id).where('counted', '=', 1).execute();
  const score = trendingScore(enteredFeedAt(paper), votes.map((v) => Date.parse(v.created_at)));
  await tx.kysely.updateTable('papers').set({ upvotes: votes.length, trending_score: score }).where('id', '=', paper.id).execute();
  return votes.length;
}

/**
 * After one vote was added or removed: upvotes re-counted from the rows, and the trending
 * score moved by that one vote (a log-sum update, see rank/trending.ts), both in one statement.
 * A score that cannot be updated exactly (never computed, or a removal that cancels nearly all of
 * it) is re-derived from every vote instead.
 */
async function recountAfterVote(tx: Db, paper: LockedPaper, vote: { created_at: string; counted: number }, added: boolean): Promise<number> {
  const voteMs = Date.parse(vote.created_at);
  const consistent = paper.trending_score >= enteredFeedAt(paper) / HALF_LIFE_MS;
  const score = !consistent ? null : !vote.counted ? paper.trending_score : added ? scoreWithVote(paper.trending_score, voteMs) : scoreWithoutVote(paper.trending_score, voteMs);
  if (score === null) return rederiveVoteCounters(tx, paper);
  const row = await tx.kysely
    .updateTable('papers')
    .set({ upvotes: countedVotes(tx, paper.id), trending_score: score })
    .where('id', '=', paper.id)
    .returning('upvotes')
    .executeTakeFirstOrThrow();
  return row.upvotes;
}

/** Adds the user's vote if the paper is visible; the new vote, or null when nothing was added. */
async function insertVote(tx: Db, userId: string, paperId: string, now: Date): Promise<{ created_at: string; counted: number } | null> {
  const row = await tx.kysely
    .insertInto('votes')
    .columns(['user_id', 'paper_id', 'created_at'])
    .expression((eb) =>
      eb.selectFrom('papers').select([eb.val(userId).as('user_id'), 'id', eb.val(now.toISOString()).as('created_at')]).where('id', '=', paperId).where('hidden', '=', 0),
    )
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
    .returning(['created_at', 'counted'])
    .executeTakeFirst();
  return row ?? null;
}

/** Removes the user's vote from a visible paper; the removed vote, or null when there was none. */
async function deleteVote(tx: Db, userId: string, paperId: string): Promise<{ created_at: string; counted: number } | null> {
  const row = await tx.kysely
    .deleteFrom('votes')
    .where('user_id', '=', userId)
    .where('paper_id', '=', paperId)
    .where('paper_id', 'in', (eb) => eb.selectFrom('papers').select('id').where('id', '=', paperId).where('hidden', '=', 0))
    .returning(['created_at', 'counted'])
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Puts a user's vote on a paper into the wanted state; the count is re-derived from the votes table
 * in the same transaction. Null when the paper is missing or hidden.
 *
 * When the vote changes that is five round trips: begin, the row change (which also checks that the
 * paper is visible), the lock, the recount with the score update, commit. Only the last two hold the lock.
 */
export async function setVote(db: Db, userId: string, paperId: string, wanted: boolean, now = new Date()): Promise<VoteOutcome | null> {
  return withTransaction(db, async (tx) => {
    const vote = wanted ? await insertVote(tx, userId, paperId, now) : await deleteVote(tx, userId, paperId);
    if (vote === null) {
      const current = await tx.kysely.selectFrom('papers').select(['upvotes', 'hidden']).where('id', '=', paperId).executeTakeFirst();
      return !current || current.hidden ? null : { changed: false, voted: wanted, upvotes: current.upvotes };
    }
    const paper = (await lockPaper(tx, paperId))!;
    return { changed: true, voted: wanted, upvotes: await recountAfterVote(tx, paper, vote, wanted) };
  });
}

/**
 * Counts or stops counting every vote of a user (on unban or ban) and re-derives the counters of
 * the papers they voted on, in the caller's transaction. Returns those papers' ids.
 */
export async function setVotesCounted(tx: Db, userId: string, counted: boolean): Promise<string[]> {
  const changed = await tx.kysely
    .updateTable('votes')
    .set({ counted: counted ? 1 : 0 })
    .where('user_id', '=', userId)
    .where('counted', '=', counted ? 0 : 1)
    .returning('paper_id')
    .execute();
  // In id order, so two bans touching the same papers lock them in the same order.
  const paperIds = changed.map((r) => r.paper_id).sort();
  for (const id of paperIds) {
    const paper = await lockPaper(tx, id);
    if (paper) await rederiveVoteCounters(tx, paper);
  }
  return paperIds;
}

/** Which of these papers the user has upvoted. */
export async function votedPaperIds(db: Db, userId: string, paperIds: string[]): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db.kysely.selectFrom('votes').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', paperIds).execute();
  return new Set(rows.map((r) => r.paper_id));
}

/** Papers whose stored upvotes differ from their counted vote rows (should always be empty; the load test checks it). */
export async function papersWithDriftedCounts(db: Db): Promise<{ id: string; upvotes: number; rows: number }[]> {
  const rows = await db.kysely
    .selectFrom('papers')
    .select(['id', 'upvotes', sql<number>`(SELECT COUNT(*) FROM votes WHERE votes.paper_id = papers.id AND votes.counted = 1)`.as('rows')])
    .execute();
  return rows.filter((r) => r.upvotes !== Number(r.rows)).map((r) => ({ id: r.id, upvotes: r.upvotes, rows: Number(r.rows) }));
}
