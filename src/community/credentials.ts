import { LRUCache } from 'lru-cache';
import type { Db } from '../db/connection.js';
import type { Auth } from './http.js';

/**
 * How long a verified session cookie or API token is taken on trust before the database is asked
 * again. This process forgets an account's entries as soon as it bans it, changes its role, logs it
 * out or revokes one of its tokens; another process sharing the database notices within this time.
 */
export const CREDENTIAL_TTL_MS = 5_000;

/**
 * Who recently verified credentials belong to, so a burst of requests (a script voting, a page's
 * fetches) costs one lookup rather than one each. Only successful lookups are kept: an unknown
 * token is looked up every time, and fills nothing.
 */
const verified = new LRUCache<string, Auth>({ max: 10_000, ttl: CREDENTIAL_TTL_MS });

// Tests run several databases in one process: the same token hash means different things in each.
const keyOf = (db: Db, tokenHash: string) => `${db.location}\n${tokenHash}`;

export function cachedCredential(db: Db, tokenHash: string): Auth | null {
  return verified.get(keyOf(db, tokenHash)) ?? null;
}

/** Remembers a verified credential, never past `expiresAt` (a session's end). */
export function rememberCredential(db: Db, tokenHash: string, auth: Auth, expiresAt?: Date): void {
  const ttl = expiresAt ? Math.min(CREDENTIAL_TTL_MS, expiresAt.getTime() - Date.now()) : CREDENTIAL_TTL_MS;
  if (ttl > 0) verified.set(keyOf(db, tokenHash), auth, { ttl });
}

export function forgetCredential(db: Db, tokenHash: string): void {
  verified.delete(keyOf(db, tokenHash));
}

/** Forgets every credential of an account (after a ban, a role change, a revoked token). */
export function forgetAccountCredentials(userId: string): void {
  for (const [key, auth] of verified.entries()) if (auth.user.id === userId) verified.delete(key);
}
