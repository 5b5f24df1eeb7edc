import type { Db } from './connection.js';

/**
 * Runs `body` in a transaction, or inside the caller's when `db` already is one, so store
 * functions that need atomicity compose (a moderation action and its log entry commit together).
 */
export async function withTransaction<T>(db: Db, body: (tx: Db) => Promise<T>): Promise<T> {
  if (db.kysely.isTransaction) return body(db);
  return db.kysely.transaction().execute((trx) => body({ ...db, kysely: trx }));
}
