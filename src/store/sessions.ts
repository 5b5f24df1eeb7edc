import type { Db } from '../db/connection.js';
import type { Role } from '../db/schema.js';

/** A live session joined with its (not banned) user. */
export interface SessionWithUser {
  tokenHash: string;
  csrfToken: string;
  expiresAt: string;
  user: { id: string; email: string; username: string; role: Role; createdAt: string };
}

export async function createSession(
  db: Db,
  session: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date },
  now = new Date(),
): Promise<void> {
  await db.kysely
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: now.toISOString(),
      expires_at: session.expiresAt.toISOString(),
    })
    .execute();
}

export async function findSession(db: Db, tokenHash: string, now = new Date()): Promise<SessionWithUser | null> {
  const row = await db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.token_hash',
      'sessions.csrf_token',
      'sessions.expires_at',
      'users.id',
      'users.email',
      'users.username',
      'users.role',
      'users.created_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now.toISOString())
    .where('users.banned_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    tokenHash: row.token_hash,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    user: { id: row.id, email: row.email, username: row.username, role: row.role, createdAt: row.created_at },
  };
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.kysely.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Removes expired sessions and login links (a periodic job). */
export async function pruneExpiredSessions(db: Db, now = new Date()): Promise<number> {
  const cutoff = now.toISOString();
  const sessions = await db.kysely.deleteFrom('sessions').where('expires_at', '<=', cutoff).executeTakeFirst();
  await db.kysely.deleteFrom('login_links').where('expires_at', '<=', cutoff).execute();
  return Number(sessions.numDeletedRows);
}

export async function createLoginLink(
  db: Db,
  link: { tokenHash: string; userId: string; expiresAt: Date },
  now = new Date(),
): Promise<void> {
  await db.kysely
    .insertInto('login_links')
    .values({
      token_hash: link.tokenHash,
      user_id: link.userId,
      created_at: now.toISOString(),
      expires_at: link.expiresAt.toISOString(),
      used_at: null,
    })
    .execute();
}

export type LoginLinkOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'banned' };

/**
 * Spends a one-time login link. The conditional UPDATE makes the spend atomic: of two
 * concurrent clicks, exactly one succeeds.
 */
export async function consumeLoginLink(db: Db, tokenHash: string, now = new Date()): Promise<LoginLinkOutcome> {
  const stamp = now.toISOString();
  const spent = await db.kysely
    .updateTable('login_links')
    .set({ used_at: stamp })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', stamp)
    .returning('user_id')
    .executeTakeFirst();
  if (spent) {
    const user = await db.kysely
      .selectFrom('users')
      .select('banned_at')
      .where('id', '=', spent.user_id)
      .executeTakeFirstOrThrow();
    return user.banned_at ? { ok: false, reason: 'banned' } : { ok: true, userId: spent.user_id };
  }
  const link = await db.kysely
    .selectFrom('login_links')
    .select(['used_at', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!link) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: link.used_at ? 'used' : 'expired' };
}

/** Which user a still-valid link belongs to, without spending it (for the confirmation page). */
export async function peekLoginLink(db: Db, tokenHash: string, now = new Date()): Promise<LoginLinkOutcome> {
  const link = await db.kysely
    .selectFrom('login_links')
    .select(['user_id', 'used_at', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!link) return { ok: false, reason: 'unknown' };
  if (link.used_at) return { ok: false, reason: 'used' };
  if (link.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
  return { ok: true, userId: link.user_id };
}

/** When the session was started (null: no such session); a password-less account proves itself by a recent one. */
export async function sessionStartedAt(db: Db, sessionHash: string): Promise<Date | null> {
  const row = await db.kysely
    .selectFrom('sessions')
    .select('created_at')
    .where('token_hash', '=', sessionHash)
    .executeTakeFirst();
  return row ? new Date(row.created_at) : null;
}
