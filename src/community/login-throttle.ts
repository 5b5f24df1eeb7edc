import { createHash } from 'node:crypto';

/**
 * Failed password logins slow down further attempts instead of locking the account: the wait
 * doubles with each failure past a few free ones, counted per (account, client address) pair, so a
 * guesser elsewhere slows only themselves and never locks the owner out. A looser count per account
 * slows guessing spread over many addresses. Failures are forgotten after FAILURE_MEMORY_MS without
 * one, and a pair's are forgotten at its next successful login.
 */
export const THROTTLES = {
  pair: { freeFailures: 5, firstWaitSeconds: 15, maxWaitSeconds: 15 * 60 },
  account: { freeFailures: 50, firstWaitSeconds: 15, maxWaitSeconds: 15 * 60 },
  /** The current password typed again by a signed-in member to change or delete the account. */
  proof: { freeFailures: 5, firstWaitSeconds: 15, maxWaitSeconds: 15 * 60 },
} as const;

export const FAILURE_MEMORY_MS = 24 * 3600_000;

export type ThrottleKind = keyof typeof THROTTLES;

export interface FailureRecord {
  failures: number;
  lastFailureAt: string;
}

/** Seconds to wait before the next attempt after these failures (0: go ahead). */
export function secondsToWait(kind: ThrottleKind, record: FailureRecord | undefined, now: Date): number {
  if (!record) return 0;
  const lastMs = Date.parse(record.lastFailureAt);
  if (now.getTime() - lastMs >= FAILURE_MEMORY_MS) return 0;
  const { freeFailures, firstWaitSeconds, maxWaitSeconds } = THROTTLES[kind];
  if (record.failures < freeFailures) return 0;
  const wait = Math.min(maxWaitSeconds, firstWaitSeconds * 2 ** (record.failures - freeFailures));
  return Math.max(0, Math.ceil((lastMs + wait * 1000 - now.getTime()) / 1000));
}

/** A key for counting what a client typed: any text becomes short ASCII that stores no address. */
export function digestKey(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * The keys an attempt is counted under. Emails and addresses are hashed: the table keeps no address,
 * and text of any kind (a typo, control characters) makes a valid key.
 */
export function throttleKeys(email: string, ip: string): Record<'pair' | 'account', string> {
  const account = email.trim().toLowerCase();
  return { pair: `pair:${digestKey(`${account}\n${ip}`)}`, account: `account:${digestKey(account)}` };
}

/**
 * The key a member's wrong current passwords are counted under: per account, apart from logins, so
 * whoever holds a stolen session cannot guess the password behind it at hashing speed, and cannot
 * slow the owner's logins either.
 */
export function proofKey(userId: string): string {
  return `proof:${userId}`;
}
