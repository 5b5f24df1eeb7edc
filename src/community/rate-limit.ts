import type { Config, RateLimitSetting } from '../config/index.js';
import type { Db } from '../db/connection.js';
import { pruneLoginFailures } from '../store/login-failures.js';
import type { AppContext } from '../app/context.js';
import { pruneRateLimitHits } from '../store/rate-limits.js';
import { digestKey, FAILURE_MEMORY_MS } from './login-throttle.js';
import { HttpError } from '../errors.js';

export type LimitedAction = 'login' | 'signup' | 'submit' | 'vote' | 'comment' | 'subscribe';

const SETTING: Record<LimitedAction, keyof Config & `RATE_LIMIT_${string}`> = {
  login: 'RATE_LIMIT_LOGIN',
  signup: 'RATE_LIMIT_SIGNUP',
  submit: 'RATE_LIMIT_SUBMIT',
  vote: 'RATE_LIMIT_VOTE',
  comment: 'RATE_LIMIT_COMMENT',
  subscribe: 'RATE_LIMIT_SUBSCRIBE',
};

/** The fixed window `now` falls in: its start and the seconds left until the next one. */
export function fixedWindow(now: Date, windowSeconds: number): { start: string; secondsLeft: number } {
  const windowMs = windowSeconds * 1000;
  const startMs = Math.floor(now.getTime() / windowMs) * windowMs;
  return {
    start: new Date(startMs).toISOString(),
    secondsLeft: Math.max(1, Math.ceil((startMs + windowMs - now.getTime()) / 1000)),
  };
}

/**
 * The counter key of one action by one account or IP. What a client typed (an email at login) is
 * hashed, so a key is always short, plain ASCII that any database stores.
 */
export function bucketName(action: LimitedAction, kind: 'ip' | 'account', who: string): string {
  return `${action}:${kind}:${digestKey(who).slice(0, 22)}`;
}

/**
 * Counts an attempt at `action` against both the account and the client IP and throws a 429
 * (with Retry-After) once either is over its limit in the current fixed window.
 *
 * The counters are kept in the database: SERVICES lets several web processes share one PostgreSQL,
 * and per-process counters would multiply every limit by the number of processes (and reset on
 * each deploy). Hits are counted in memory and added to the database in batches (hit-counters.ts),
 * so an attempt costs no write of its own. Fixed windows keep that to a single row per key and
 * window, and make Retry-After exact.
 */
export async function enforceRateLimit(
  { config, hitCounters }: Pick<AppContext, 'config' | 'hitCounters'>,
  action: LimitedAction,
  who: { account: string | null; ip: string },
  now = new Date(),
): Promise<void> {
  const limit: RateLimitSetting = config[SETTING[action]];
  const window = fixedWindow(now, limit.windowSeconds);
  const ipBucket = bucketName(action, 'ip', who.ip);
  const accountBucket = who.account === null ? null : bucketName(action, 'account', who.account);
  const hits = await hitCounters.hit(accountBucket ? [ipBucket, accountBucket] : [ipBucket], {
    start: window.start,
    endMs: Date.parse(window.start) + limit.windowSeconds * 1000,
  });
  const overIp = hits.get(ipBucket)! > limit.perIp;
  const overAccount = accountBucket !== null && hits.get(accountBucket)! > limit.perAccount;
  if (overIp || overAccount) {
    const minutes = Math.ceil(window.secondsLeft / 60);
    throw new HttpError(
      429,
      `Too many ${action} attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      {
        retryAfterSeconds: window.secondsLeft,
      },
    );
  }
}

/** Forgets counters of windows ended under every configured limit, and old login failures (a periodic job). */
export async function pruneRateLimits(db: Db, config: Config, now = new Date()): Promise<number> {
  const longest = Math.max(...Object.values(SETTING).map((key) => config[key].windowSeconds));
  const windows = await pruneRateLimitHits(db, new Date(now.getTime() - longest * 1000).toISOString());
  return windows + (await pruneLoginFailures(db, new Date(now.getTime() - FAILURE_MEMORY_MS)));
}
