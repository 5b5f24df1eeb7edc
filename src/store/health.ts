import type { Db } from '../db/connection.js';

/** Commits a tiny write (the time of this check in the one health row): it fails where any write would. */
export async function recordHealthCheck(db: Db, now = new Date()): Promise<void> {
  const checkedAt = now.toISOString();
  await db.kysely
    .insertInto('health_check')
    .values({ id: 1, checked_at: checkedAt })
    .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: checkedAt }))
    .execute();
}
