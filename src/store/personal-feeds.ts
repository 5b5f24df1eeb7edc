import type { Db } from '../db/connection.js';

/** Gives a member's private feed a new secret (by its hash): the old URL stops working at once. */
export async function setPersonalFeed(db: Db, userId: string, tokenHash: string, now = new Date()): Promise<void> {
  await db.kysely
    .insertInto('personal_feeds')
    .values({ user_id: userId, token_hash: tokenHash, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: tokenHash, created_at: now.toISOString() }))
    .execute();
}

/** Ends a member's private feed; false when they had none. */
export async function revokePersonalFeed(db: Db, userId: string): Promise<boolean> {
  const result = await db.kysely.deleteFrom('personal_feeds').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** When the member's private feed was made, or null when they have none. */
export async function personalFeedSince(db: Db, userId: string): Promise<string | null> {
  const row = await db.kysely
    .selectFrom('personal_feeds')
    .select('created_at')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.created_at ?? null;
}

/** The member (id and username, not banned) whose private feed has this token hash, or null. */
export async function ownerOfPersonalFeed(db: Db, tokenHash: string): Promise<{ id: string; username: string } | null> {
  const row = await db.kysely
    .selectFrom('personal_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['u.id', 'u.username'])
    .where('f.token_hash', '=', tokenHash)
    .where('u.banned_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}
