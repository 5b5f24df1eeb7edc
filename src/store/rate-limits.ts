import { sql } from 'kysely';
import type { Db } from '../db/connection.js';

/** Counts one hit against each bucket's window in one statement; returns each bucket's total so far. */
export async function countHits(db: Db, buckets: string[], windowStart: string): Promise<Map<string, number>> {
  const rows = await db.kysely
    .insertInto('rate_limit_hits')
    .values(buckets.map((bucket) => ({ bucket, window_start: windowStart, hits: 1 })))
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limit_hits.hits + 1` }))
    .returning(['bucket', 'hits'])
    .execute();
  return new Map(rows.map((r) => [r.bucket, r.hits]));
}

/** Drops counters of windows that started before `before`. */
export async function pruneRateLimitHits(db: Db, before: string): Promise<number> {
  const result = await db.kysely.deleteFrom('rate_limit_hits').where('window_start', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
