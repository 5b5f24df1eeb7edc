import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { withTransaction } from '../db/transaction.js';
import {
  enteredFeedAtMs,
  HALF_LIFE_MS,
  MIN_REMAINING_SHARE,
  NEGLIGIBLE_EXPONENT,
  scoreAfterVotes,
  trendingScore,
} from './trending.js';

/** A paper's counted votes, counted from the rows. */
const countedVotes = (paperId: string) =>
  sql<number>`(SELECT COUNT(*) FROM votes WHERE paper_id = ${paperId} AND counted = 1)`;

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
  const query = tx.kysely
    .selectFrom('papers')
    .select(['id', 'hidden', 'trending_score', 'submitted_at', 'featured_on', 'published_on', 'created_at'])
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

/** One member's wish for their vote on a paper, as a request made it. */
export interface VoteChange {
  userId: string;
  wanted: boolean;
  at: Date;
}

type VoteRow = { user_id: string; created_at: string; counted: number };

/**
 * What a batch of changes does to the paper's votes, applied in order to the rows as they stand: the
 * rows to delete and to insert (a member who withdrew and voted again gets a new row, of the new
 * time), and whether each change changed anything (asking for the state a vote is already in does not).
 */
export function planVoteChanges(
  existing: readonly VoteRow[],
  changes: readonly VoteChange[],
): { removed: VoteRow[]; added: VoteRow[]; changed: boolean[] } {
  const before = new Map(existing.map((row) => [row.user_id, row]));
  const now = new Map<string, VoteRow | null>(before);
  const changed = changes.map(({ userId, wanted, at }) => {
    const current = now.get(userId) ?? null;
    if ((current !== null) === wanted) return false;
    now.set(userId, wanted ? { user_id: userId, created_at: at.toISOString(), counted: 1 } : null);
    return true;
  });
  const removed: VoteRow[] = [];
  const added: VoteRow[] = [];
  for (const [userId, row] of now) {
    const old = before.get(userId) ?? null;
    if (row === old) continue;
    if (old) removed.push(old);
    if (row) added.push(row);
  }
  return { removed, added, changed };
}

/**
 * SQLite (one writer at a time): the batch in one transaction. The paper's row is locked first (on
 * PostgreSQL this is what cast_votes() does inside the server), so batches on one paper take turns
 * and each reads the votes as the one before left them; then the rows change, and the count is
 * re-derived from the rows and the trending score moved by the changed votes, once for the batch.
 */
async function applyVoteChangesInTransaction(
  db: Db,
  paperId: string,
  changes: readonly VoteChange[],
  halfLifeMs: number,
): Promise<(VoteOutcome | null)[]> {
  return withTransaction(db, async (tx) => {
    const paper = await lockPaper(tx, paperId);
    if (!paper || paper.hidden) return changes.map(() => null);
    const existing = await tx.kysely
      .selectFrom('votes')
      .select(['user_id', 'created_at', 'counted'])
      .where('paper_id', '=', paperId)
      .where('user_id', 'in', [...new Set(changes.map((c) => c.userId))])
      .execute();
    const { removed, added, changed } = planVoteChanges(existing, changes);
    if (removed.length > 0)
      await tx.kysely
        .deleteFrom('votes')
        .where('paper_id', '=', paperId)
        .where(
          'user_id',
          'in',
          removed.map((r) => r.user_id),
        )
        .execute();
    if (added.length > 0)
      await tx.kysely
        .insertInto('votes')
        .values(added.map((r) => ({ user_id: r.user_id, paper_id: paperId, created_at: r.created_at })))
        .execute();
    const times = (rows: VoteRow[]) => rows.filter((r) => r.counted).map((r) => Date.parse(r.created_at));
    const score = scoreAfterVotes(paper.trending_score, times(added), times(removed), halfLifeMs);
    const upvotes =
      score === null
        ? await rederiveVoteCounters(tx, paper, halfLifeMs)
        : (
            await tx.kysely
              .updateTable('papers')
              .set({ upvotes: countedVotes(paperId), trending_score: score })
              .where('id', '=', paperId)
              .returning('upvotes')
              .executeTakeFirstOrThrow()
          ).upvotes;
    return changed.map((c, i) => ({ changed: c, voted: changes[i]!.wanted, upvotes }));
  });
}

/**
 * PostgreSQL: the same steps in one call, cast_votes() (migration 190), so the paper's row lock is
 * held only inside the server. A score it could not update exactly is rescanned right after, in a
 * transaction of its own: the count is already exact, and the periodic recompute would catch a
 * rescan lost to a crash.
 */
async function castVotesOnPostgres(
  db: Db,
  paperId: string,
  changes: readonly VoteChange[],
  halfLifeMs: number,
): Promise<(VoteOutcome | null)[]> {
  const bounds = sql`${halfLifeMs}, ${Math.log2(1 - MIN_REMAINING_SHARE)}, ${NEGLIGIBLE_EXPONENT}`;
  const { rows } = await sql<{ changed: boolean[]; upvotes: number; trending_score: number }>`
    SELECT changed, upvotes, trending_score FROM cast_votes(${paperId},
      ${changes.map((c) => c.userId)}::text[], ${changes.map((c) => c.wanted)}::boolean[],
      ${changes.map((c) => c.at.toISOString())}::text[], ${bounds})`.execute(db.kysely);
  const row = rows[0];
  if (!row) return changes.map(() => null);
  const rescan = row.trending_score <= 0 && row.changed.some(Boolean);
  const upvotes = rescan
    ? await withTransaction(db, async (tx) => rederiveVoteCounters(tx, (await lockPaper(tx, paperId))!, halfLifeMs))
    : row.upvotes;
  return row.changed.map((c, i) => ({ changed: c, voted: changes[i]!.wanted, upvotes }));
}

/**
 * Applies a batch of vote changes on one paper at once and answers each (null for all when the
 * paper is missing or hidden): one row lock, one count re-derived from the rows, one trending update
 * and one commit for the whole batch. Every change of a batch answers with the count it left.
 */
export async function applyVoteChanges(
  db: Db,
  paperId: string,
  changes: readonly VoteChange[],
  halfLifeMs = HALF_LIFE_MS,
): Promise<(VoteOutcome | null)[]> {
  return dialectOf(db).concurrentWriters
    ? castVotesOnPostgres(db, paperId, changes, halfLifeMs)
    : applyVoteChangesInTransaction(db, paperId, changes, halfLifeMs);
}

/**
 * Puts a user's vote on a paper into the wanted state (a batch of one, see applyVoteChanges). Null
 * when the paper is missing or hidden. The trending score decays with `halfLifeMs` (store/trending.ts's).
 */
export async function setVote(
  db: Db,
  userId: string,
  paperId: string,
  wanted: boolean,
  now = new Date(),
  halfLifeMs = HALF_LIFE_MS,
): Promise<VoteOutcome | null> {
  const [outcome] = await applyVoteChanges(db, paperId, [{ userId, wanted, at: now }], halfLifeMs);
  return outcome ?? null;
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
