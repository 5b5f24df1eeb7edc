import { LRUCache } from 'lru-cache';
import type { Role } from '../db/schema.js';

/** The signed-in user of a request and how they proved it. */
export interface Auth {
  user: { id: string; email: string; username: string; role: Role; createdAt: string };
  via: 'session' | 'token';
  /** The session's CSRF token (sessions only). */
  csrfToken: string | null;
  /** The stored hash of the session cookie (sessions only), for logout. */
  sessionHash: string | null;
}

/**
 * How long a verified session cookie or API token is taken on trust before the database is asked
 * again. This process forgets an account's entries as soon as it bans it, changes its role, logs it
 * out or revokes one of its tokens, and tells the other processes sharing a PostgreSQL database,
 * which forget them on hearing it; at worst (the message lost) they notice within this time.
 */
export const CREDENTIAL_TTL_MS = 5_000;

/**
 * Who recently verified credentials belong to, so a burst of requests (a script voting, a page's
 * fetches) costs one lookup rather than one each. Only successful lookups are kept: an unknown
 * token is looked up every time, and fills nothing. One per app context, so per database.
 */
export type CredentialRevocation = { tokenHash: string } | { userId: string };

export class CredentialCache {
  readonly #verified = new LRUCache<string, Auth>({ max: 10_000, ttl: CREDENTIAL_TTL_MS });

  /** `announce` tells the other processes of each revocation made here. */
  constructor(private readonly announce: (revocation: CredentialRevocation) => void = () => {}) {}

  get(tokenHash: string): Auth | null {
    return this.#verified.get(tokenHash) ?? null;
  }

  /** Remembers a verified credential, never past `expiresAt` (a session's end). */
  remember(tokenHash: string, auth: Auth, expiresAt?: Date): void {
    const ttl = expiresAt ? Math.min(CREDENTIAL_TTL_MS, expiresAt.getTime() - Date.now()) : CREDENTIAL_TTL_MS;
    if (ttl > 0) this.#verified.set(tokenHash, auth, { ttl });
  }

  forget(tokenHash: string): void {
    this.revoked({ tokenHash });
    this.announce({ tokenHash });
  }

  /** Forgets every credential of an account (after a ban, a role change, a revoked token). */
  forgetAccount(userId: string): void {
    this.revoked({ userId });
    this.announce({ userId });
  }

  /** Applies a revocation, made here or announced by another process. */
  revoked(revocation: CredentialRevocation): void {
    if ('tokenHash' in revocation) this.#verified.delete(revocation.tokenHash);
    else
      for (const [key, auth] of this.#verified.entries())
        if (auth.user.id === revocation.userId) this.#verified.delete(key);
  }

  /** Forgets everything (revocations may have been missed). */
  clear(): void {
    this.#verified.clear();
  }
}
