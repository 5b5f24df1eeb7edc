import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { withTransaction } from '../db/transaction.js';
import { enteredFeedAtMs, HALF_LIFE_MS, MIN_REMAINING_SHARE, NEGLIGIBLE_EXPONENT, trendingScore } from './trending.js';

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
 * the lock itself would still count from the snapshot it started with (cast_vote() avoids the extra
 * statement by counting through the VOLATILE counted_votes(), see migration 070).
 */
export async function lockPaper(tx: Db, paperId: string) {
  const query = tx.kysely
    .selectFrom('papers')
    .select(['id', 'submitted_at', 'featured_on', 'published_on', 'created_at'])
    .where('id', '=', paperId);
  return (await dialectOf(tx).lockForNoKeyUpdate(query).executeTakeFirst()) ?? null;
}

export type LockedPaper = NonNullable<Awaited<ReturnType<typeof lockPaper>>>;

const enteredFeedAt = (paper: LockedPaper) =>
  enteredFeedAtMs({
    submittedAt: paper.submitted_at,
    featuredOn: paper.featured_on,
    publishedOn: paper.published_on,
    createdAt: paper.created_at,
  });

/** Sets upvotes and trending_score of a locked paper from all its counted vote rows (never from deltas). */
export async function rederiveVoteCounters(tx: Db, paper: LockedPaper, halfLifeMs = HALF_LIFE_MS): Promise<number> {
  const votes = await tx.kysely
    .selectFrom('votes')
    .select('created_at')
    .where('paper_id', '=', paper.id)
    .where('counted', '=', 1)
    .execute();
  const score = trendingScore(
    enteredFeedAt(paper),
    votes.map((v) => Date.parse(v.created_at)),
    halfLifeMs,
  );
  await tx.kysely
    .updateTable('papers')
    .set({ upvotes: votes.length, trending_score: score })
    .where('id', '=', paper.id)
    .execute();
  return votes.length;
}

/** The paper's counted votes, as the SET of the statement that locks the paper (SQLite: one writer at a time). */
const countedVotes = (paperId: string) =>
  sql<number>`(SELECT COUNT(*) FROM votes WHERE paper_id = ${paperId} AND counted = 1)`;

/**
 * The bounds of the SQL score update (in half-lives), from store/trending.ts; PostgreSQL's cast_vote()
 * takes them, and the half-life, as arguments.
 */
const UPDATE_BOUNDS = { removalFloor: Math.log2(1 - MIN_REMAINING_SHARE), negligibleExponent: NEGLIGIBLE_EXPONENT };

/**
 * The stored trending score with one vote at `voteMs` added or removed (see store/trending.ts), in
 * SQL, so it is applied to the score as it stands once the row is locked. It is 0, the "no score
 * yet" value, where no exact update exists (the paper has no score, or the removed vote carried
 * nearly all of it); setVote then rescans. PostgreSQL's cast_vote() (migration 084) computes the same.
 */
function scoreAfterVote(voteMs: number, added: boolean, halfLifeMs: number): RawBuilder<number> {
  const { removalFloor, negligibleExponent } = UPDATE_BOUNDS;
  const x = voteMs / halfLifeMs;
  const log2 = (value: RawBuilder<number>) => sql<number>`LN(${value}) * ${Math.LOG2E}`;
  if (added) {
    return sql<number>`CASE WHEN trending_score <= 0 THEN 0
      WHEN ${x} - trending_score > ${negligibleExponent} THEN ${x}
      WHEN trending_score - ${x} > ${negligibleExponent} THEN trending_score
      WHEN ${x} > trending_score THEN ${x} + ${log2(sql`1 + POWER(2, trending_score - ${x})`)}
      ELSE trending_score + ${log2(sql`1 + POWER(2, ${x} - trending_score)`)} END`;
  }
  return sql<number>`CASE WHEN trending_score <= 0 OR ${x} - trending_score > ${removalFloor} THEN 0
    WHEN trending_score - ${x} > ${negligibleExponent} THEN trending_score
    ELSE trending_score + ${log2(sql`1 - POWER(2, ${x} - trending_score)`)} END`;
}

type VoteRow = { created_at: string; counted: number };

/**
 * After one vote was added or removed: upvotes re-counted from the rows and the trending score moved
 * by that vote, in one statement. A score of 0 back means it needs a rescan.
 */
async function recountAfterVote(
  tx: Db,
  paperId: string,
  vote: VoteRow,
  added: boolean,
  halfLifeMs: number,
): Promise<{ upvotes: number; trending_score: number }> {
  const score = vote.counted ? { trending_score: scoreAfterVote(Date.parse(vote.created_at), added, halfLifeMs) } : {};
  return tx.kysely
    .updateTable('papers')
    .set({ upvotes: countedVotes(paperId), ...score })
    .where('id', '=', paperId)
    .returning(['upvotes', 'trending_score'])
    .executeTakeFirstOrThrow();
}

/** Adds the user's vote if the paper is visible; the new vote, or null when nothing was added. */
async function insertVote(tx: Db, userId: string, paperId: string, now: Date): Promise<VoteRow | null> {
  const row = await tx.kysely
    .insertInto('votes')
    .columns(['user_id', 'paper_id', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('papers')
        .select([eb.val(userId).as('user_id'), 'id', eb.val(now.toISOString()).as('created_at')])
        .where('id', '=', paperId)
        .where('hidden', '=', 0),
    )
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
    .returning(['created_at', 'counted'])
    .executeTakeFirst();
  return row ?? null;
}

/** Removes the user's vote from a visible paper; the removed vote, or null when there was none. */
async function deleteVote(tx: Db, userId: string, paperId: string): Promise<VoteRow | null> {
  const row = await tx.kysely
    .deleteFrom('votes')
    .where('user_id', '=', userId)
    .where('paper_id', '=', paperId)
    .where('paper_id', 'in', (eb) =>
      eb.selectFrom('papers').select('id').where('id', '=', paperId).where('hidden', '=', 0),
    )
    .returning(['created_at', 'counted'])
    .executeTakeFirst();
  return row ?? null;
}

/** Rescans a paper's trending score and count, in the caller's transaction or a new one. */
async function rederiveInTransaction(db: Db, paperId: string, halfLifeMs: number): Promise<number> {
  return withTransaction(db, async (tx) => rederiveVoteCounters(tx, (await lockPaper(tx, paperId))!, halfLifeMs));
}

/**
 * SQLite: the row change (which also checks that the paper is visible), then the recount with the
 * score update, in one transaction.
 */
async function setVoteOnSqlite(
  db: Db,
  userId: string,
  paperId: string,
  wanted: boolean,
  now: Date,
  halfLifeMs: number,
): Promise<VoteOutcome | null> {
  return withTransaction(db, async (tx) => {
    const vote = wanted ? await insertVote(tx, userId, paperId, now) : await deleteVote(tx, userId, paperId);
    if (vote === null) {
      const current = await tx.kysely
        .selectFrom('papers')
        .select(['upvotes', 'hidden'])
        .where('id', '=', paperId)
        .executeTakeFirst();
      return !current || current.hidden ? null : { changed: false, voted: wanted, upvotes: current.upvotes };
    }
    const updated = await recountAfterVote(tx, paperId, vote, wanted, halfLifeMs);
    const upvotes = updated.trending_score > 0 ? updated.upvotes : await rederiveInTransaction(tx, paperId, halfLifeMs);
    return { changed: true, voted: wanted, upvotes };
  });
}

/**
 * PostgreSQL: the same steps in one statement, cast_vote() (migration 084), so that the paper's row
 * lock is never held across a round trip. A score it could not update exactly is rescanned right
 * after, in a transaction of its own: the count is already exact, and the periodic recompute would
 * catch a rescan lost to a crash.
 */
async function setVoteOnPostgres(
  db: Db,
  userId: string,
  paperId: string,
  wanted: boolean,
  now: Date,
  halfLifeMs: number,
): Promise<VoteOutcome | null> {
  const trending = sql`${halfLifeMs}, ${UPDATE_BOUNDS.removalFloor}, ${UPDATE_BOUNDS.negligibleExponent}`;
  const { rows } = await sql<{ changed: boolean; upvotes: number; trending_score: number }>`
    SELECT changed, upvotes, trending_score
    FROM cast_vote(${userId}, ${paperId}, ${wanted}, ${now.toISOString()}, ${trending})`.execute(db.kysely);
  const row = rows[0];
  if (!row) return null;
  const needsRescan = row.changed && row.trending_score <= 0;
  const upvotes = needsRescan ? await rederiveInTransaction(db, paperId, halfLifeMs) : row.upvotes;
  return { changed: row.changed, voted: wanted, upvotes };
}

/**
 * Puts a user's vote on a paper into the wanted state; the count is re-derived from the votes table
 * in the same transaction. Null when the paper is missing or hidden. The trending score decays with
 * `halfLifeMs` (store/trending.ts's). Where writers run concurrently (PostgreSQL), the vote is one
 * server-side call, so the paper's row lock is never held across a round trip.
 */
export async function setVote(
  db: Db,
  userId: string,
  paperId: string,
  wanted: boolean,
  now = new Date(),
  halfLifeMs = HALF_LIFE_MS,
): Promise<VoteOutcome | null> {
  return dialectOf(db).concurrentWriters
    ? setVoteOnPostgres(db, userId, paperId, wanted, now, halfLifeMs)
    : setVoteOnSqlite(db, userId, paperId, wanted, now, halfLifeMs);
}

/** Re-derives the counters of these papers, in id order, so two transactions touching the same papers lock them in the same order. */
async function rederivePapers(tx: Db, paperIds: string[]): Promise<string[]> {
  const sorted = [...paperIds].sort();
  for (const id of sorted) {
    const paper = await lockPaper(tx, id);
    if (paper) await rederiveVoteCounters(tx, paper);
  }
  return sorted;
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
  return rederivePapers(
    tx,
    changed.map((r) => r.paper_id),
  );
}

/** Deletes every vote of a user (a deleted account) and re-derives the counters of those papers, in the caller's transaction. */
export async function deleteVotesOf(tx: Db, userId: string): Promise<string[]> {
  const deleted = await tx.kysely.deleteFrom('votes').where('user_id', '=', userId).returning('paper_id').execute();
  return rederivePapers(
    tx,
    deleted.map((r) => r.paper_id),
  );
}

/** Which of these papers the user has upvoted. */
export async function votedPaperIds(db: Db, userId: string, paperIds: string[]): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db.kysely
    .selectFrom('votes')
    .select('paper_id')
    .where('user_id', '=', userId)
    .where('paper_id', 'in', paperIds)
    .execute();
  return new Set(rows.map((r) => r.paper_id));
}

/** Papers whose stored upvotes differ from their counted vote rows (should always be empty; the load test checks it). */
export async function papersWithDriftedCounts(db: Db): Promise<{ id: string; upvotes: number; rows: number }[]> {
  const rows = await db.kysely
    .selectFrom('papers')
    .select([
      'id',
      'upvotes',
      sql<number>`(SELECT COUNT(*) FROM votes WHERE votes.paper_id = papers.id AND votes.counted = 1)`.as('rows'),
    ])
    .execute();
  return rows
    .filter((r) => r.upvotes !== Number(r.rows))
    .map((r) => ({ id: r.id, upvotes: r.upvotes, rows: Number(r.rows) }));
}

/** A member's upvotes, newest first, with each paper's title (for their history and data export). */
export async function listVotesBy(
  db: Db,
  userId: string,
  limit: number,
): Promise<{ paperId: string; title: string; createdAt: string }[]> {
  const rows = await db.kysely
    .selectFrom('votes')
    .innerJoin('papers', 'papers.id', 'votes.paper_id')
    .select(['votes.paper_id', 'papers.title', 'votes.created_at'])
    .where('votes.user_id', '=', userId)
    .orderBy('votes.created_at', 'desc')
    .orderBy('votes.paper_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ paperId: r.paper_id, title: r.title, createdAt: r.created_at }));
}
