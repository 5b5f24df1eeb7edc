import { sql } from 'kysely';
import type { Db } from '../db/connection.js';

export interface BucketHits {
  bucket: string;
  windowStart: string;
  hits: number;
}

/** Adds hits to each bucket's window in one statement; returns each one's stored total afterwards. */
export async function addHits(db: Db, additions: BucketHits[]): Promise<BucketHits[]> {
  const rows = await db.kysely
    .insertInto('rate_limit_hits')
    .values(additions.map((a) => ({ bucket: a.bucket, window_start: a.windowStart, hits: a.hits })))
    .onConflict((oc) =>
      oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limit_hits.hits + excluded.hits` }),
    )
    .returning(['bucket', 'window_start', 'hits'])
    .execute();
  return rows.map((r) => ({ bucket: r.bucket, windowStart: r.window_start, hits: r.hits }));
}

/** Drops counters of windows that started before `before`. */
export async function pruneRateLimitHits(db: Db, before: string): Promise<number> {
  const result = await db.kysely.deleteFrom('rate_limit_hits').where('window_start', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
