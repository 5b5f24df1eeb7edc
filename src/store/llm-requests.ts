import { sql } from 'kysely';
import type { Db } from '../db/connection.js';

/**
 * Takes one request from `day`'s budget: true when one was left. One atomic upsert, so processes
 * sharing the database never spend more than the budget between them.
 */
export async function spendLlmRequest(db: Db, day: string, budget: number): Promise<boolean> {
  if (budget <= 0) return false;
  const row = await db.kysely
    .insertInto('llm_requests')
    .values({ day, requests: 1 })
    .onConflict((oc) =>
      oc
        .column('day')
        .doUpdateSet({ requests: sql`llm_requests.requests + 1` })
        .where('llm_requests.requests', '<', budget),
    )
    .returning('requests')
    .executeTakeFirst();
  return row !== undefined;
}

/** Requests made on `day` (YYYY-MM-DD, UTC). */
export async function llmRequestsMade(db: Db, day: string): Promise<number> {
  const row = await db.kysely.selectFrom('llm_requests').select('requests').where('day', '=', day).executeTakeFirst();
  return row?.requests ?? 0;
}
