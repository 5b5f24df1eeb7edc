import { sql } from 'kysely';
import type { Db } from '../db/connection.js';

/** Counts one hit against a bucket's window and returns the window's total so far. */
export async function countHit(db: Db, bucket: string, windowStart: string): Promise<number> {
  const row = await db.kysely
    .insertInto('rate_limit_hits')
    .values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limit_hits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

/** Drops counters of windows that started before `before`. */
export async function pruneRateLimitHits(db: Db, before: string): Promise<number> {
  const result = await db.kysely.deleteFrom('rate_limit_hits').where('window_start', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
