import type { Db } from '../db/connection.js';

/** Marks a paper "not interested" for a member (again: no change); false when there is no such visible paper. */
export async function dismissPaper(db: Db, userId: string, paperId: string, now = new Date()): Promise<boolean> {
  const paper = await db.kysely
    .selectFrom('papers')
    .select('id')
    .where('id', '=', paperId)
    .where('hidden', '=', 0)
    .executeTakeFirst();
  if (!paper) return false;
  await db.kysely
    .insertInto('paper_dismissals')
    .values({ user_id: userId, paper_id: paperId, created_at: now.toISOString() })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return true;
}

/** Takes the mark back; false when there was none. */
export async function undismissPaper(db: Db, userId: string, paperId: string): Promise<boolean> {
  const result = await db.kysely
    .deleteFrom('paper_dismissals')
    .where('user_id', '=', userId)
    .where('paper_id', '=', paperId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
