import type { Db } from '../db/connection.js';
import { withTransaction } from '../db/transaction.js';

export interface PendingEmailChange {
  tokenHash: string;
  userId: string;
  newEmail: string;
  expiresAt: Date;
}

/** Records a pending change of address, replacing any the account asked for before (their links stop working). */
export async function createEmailChange(db: Db, change: PendingEmailChange, now = new Date()): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx.kysely.deleteFrom('email_changes').where('user_id', '=', change.userId).execute();
    await tx.kysely
      .insertInto('email_changes')
      .values({
        token_hash: change.tokenHash,
        user_id: change.userId,
        new_email: change.newEmail.toLowerCase(),
        created_at: now.toISOString(),
        expires_at: change.expiresAt.toISOString(),
        used_at: null,
      })
      .execute();
  });
}

export type EmailChangeOutcome =
  | { ok: true; userId: string; oldEmail: string; newEmail: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'taken' };

/**
 * Spends a change link and moves the account to its new address, in one transaction; an address
 * that another account took meanwhile leaves everything as it was (the link stays unspent).
 */
export async function consumeEmailChange(db: Db, tokenHash: string, now = new Date()): Promise<EmailChangeOutcome> {
  const stamp = now.toISOString();
  const change = await db.kysely
    .selectFrom('email_changes')
    .innerJoin('users', 'users.id', 'email_changes.user_id')
    .select(['email_changes.user_id', 'email_changes.new_email', 'email_changes.used_at', 'email_changes.expires_at'])
    .select('users.email as old_email')
    .where('email_changes.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!change) return { ok: false, reason: 'unknown' };
  if (change.used_at) return { ok: false, reason: 'used' };
  if (change.expires_at <= stamp) return { ok: false, reason: 'expired' };
  const taken = () =>
    db.kysely.selectFrom('users').select('id').where('email', '=', change.new_email).executeTakeFirst();
  if (await taken()) return { ok: false, reason: 'taken' };
  try {
    const spent = await withTransaction(db, async (tx) => {
      const used = await tx.kysely
        .updateTable('email_changes')
        .set({ used_at: stamp })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) === 0) return false;
      await tx.kysely.updateTable('users').set({ email: change.new_email }).where('id', '=', change.user_id).execute();
      return true;
    });
    if (!spent) return { ok: false, reason: 'used' };
  } catch (error) {
    // The UNIQUE constraint settles a race with a sign-up or another change to the same address.
    if (await taken()) return { ok: false, reason: 'taken' };
    throw error;
  }
  return { ok: true, userId: change.user_id, oldEmail: change.old_email, newEmail: change.new_email };
}
