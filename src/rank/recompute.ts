import { setImmediate } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { withTransaction } from '../db/transaction.js';
import { mergeFullTextEntriesInLargeRuns, settleFullTextIndexes } from '../store/papers.js';
import { enteredFeedAtMs, trendingScore } from '../store/trending.js';

/**
 * Papers per pass. Each pass is one short read and one short write: between passes the server answers requests
 * (a SQLite query holds the event loop; 97k papers in one go held it for seconds) and votes take their row locks.
 */
const PAPERS_PER_PASS = 500;

export interface SweepResult {
  /** Papers the sweep read: what arrived since the last one, not the feed. */
  read: number;
  /** Scores it wrote. */
  changed: number;
}

/**
 * Writes a pass's scores: on PostgreSQL in one UPDATE from an array of ids and one of scores, as one
 * UPDATE a paper cost a round trip each (256–377 s for a first sweep of 97k papers); on SQLite, whose
 * statements cost no round trip, one UPDATE a paper.
 */
async function writeScores(tx: Db, scores: { id: string; score: number }[]): Promise<void> {
  if (!dialectOf(tx).arrayParameters) {
    for (const { id, score } of scores)
      await tx.kysely.updateTable('papers').set({ trending_score: score }).where('id', '=', id).execute();
    return;
  }
  await mergeFullTextEntriesInLargeRuns(tx);
  await sql`UPDATE papers SET trending_score = scored.score
    FROM unnest(${scores.map((s) => s.id)}::text[], ${scores.map((s) => s.score)}::double precision[]) AS scored (id, score)
    WHERE papers.id = scored.id`.execute(tx.kysely);
}

/**
 * Scores the featured papers that have no trending score yet (0) from their vote rows. Votes keep a
 * scored paper's score exact as they happen, and featuring a paper by import or ingest resets its score
 * to 0 (store/papers.ts), so these are the only papers whose score can be wrong: the sweep reads what
 * arrived since it last ran, through an index of just those papers (migration 200), not the whole feed,
 * which at 2.5 million papers took minutes every 10 minutes. A score edited by hand is recomputed once
 * set to 0.
 */
export async function recomputeTrendingScores(db: Db): Promise<SweepResult> {
  const result: SweepResult = { read: 0, changed: 0 };
  for (let after = ''; ; await setImmediate()) {
    const papers = await db.kysely
      .selectFrom('papers')
      .select(['id', 'submitted_at', 'featured_on', 'published_on', 'created_at', 'trending_score'])
      .where('featured_on', 'is not', null)
      // Written out, not bound, so both planners match it to the partial index's predicate.
      .where(sql<boolean>`trending_score <= 0`)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAPERS_PER_PASS)
      .execute();
    if (papers.length === 0) {
      // Searches scan the index entries these writes left pending (mergeFullTextEntriesInLargeRuns).
      if (result.changed > 0) await settleFullTextIndexes(db);
      return result;
    }
    result.read += papers.length;
    after = papers.at(-1)!.id;
    const votes = await db.kysely
      .selectFrom('votes')
      .select(['paper_id', 'created_at'])
      .where(
        'paper_id',
        'in',
        papers.map((p) => p.id),
      )
      .where('counted', '=', 1)
      .execute();
    const voteTimes = new Map<string, number[]>();
    for (const vote of votes) {
      const times = voteTimes.get(vote.paper_id) ?? [];
      times.push(Date.parse(vote.created_at));
      voteTimes.set(vote.paper_id, times);
    }
    const changed = papers.flatMap((p) => {
      const entered = enteredFeedAtMs({
        submittedAt: p.submitted_at,
        featuredOn: p.featured_on,
        publishedOn: p.published_on,
        createdAt: p.created_at,
      });
      const score = trendingScore(entered, voteTimes.get(p.id) ?? []);
      return Math.abs(score - p.trending_score) > 1e-9 ? [{ id: p.id, score }] : [];
    });
    if (changed.length === 0) continue;
    await withTransaction(db, (tx) => writeScores(tx, changed));
    result.changed += changed.length;
  }
}
