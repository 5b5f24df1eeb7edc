import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import {
  copyKnownStars,
  deferChecksUntil,
  dueRepos,
  recordRepoCheck,
  trackLinkedRepos,
  type RepoCheck,
} from '../store/github-repos.js';
import { checkRepo, type GithubSettings } from './github.js';

/** Repositories checked per run at most: a run every 10 minutes stays within an unauthenticated hour's 60 when most answer 304. */
export const STARS_BATCH = 100;
const HOUR = 60 * 60 * 1000;
/** A repository that failed is asked again after an hour; one that is gone, after a week (it may come back). */
const RETRY_AFTER_ERROR_MS = HOUR;
const RECHECK_MISSING_MS = 7 * 24 * HOUR;
/** The longest a rate limit may hold checks back, whatever a (hostile) reset header says. */
const MAX_RATE_LIMIT_WAIT_MS = 24 * HOUR;

export interface StarsSettings extends GithubSettings {
  refreshHours: number;
}

export function starsSettingsFrom(config: Config): StarsSettings {
  return {
    apiUrl: config.GITHUB_API_URL,
    token: config.GITHUB_TOKEN,
    timeoutMs: config.GITHUB_TIMEOUT_MS,
    refreshHours: config.GITHUB_REFRESH_HOURS,
  };
}

export interface StarsRun {
  checked: number;
  errors: number;
  /** ISO time until which checks wait for the rate limit; null when it was not reached. */
  rateLimitedUntil: string | null;
}

function nextCheck(check: RepoCheck, now: number, settings: StarsSettings): Date {
  if (check.kind === 'error') return new Date(now + RETRY_AFTER_ERROR_MS);
  if (check.kind === 'missing') return new Date(now + RECHECK_MISSING_MS);
  return new Date(now + settings.refreshHours * HOUR);
}

/**
 * Refreshes the stars of the repositories papers link to, those due first, one request at a time,
 * and stops where the API's rate limit says to (every due check then waits until its reset).
 */
export async function refreshStars(
  db: Db,
  settings: StarsSettings,
  options: { now?: () => Date; signal?: AbortSignal; batch?: number } = {},
): Promise<StarsRun> {
  const now = options.now ?? (() => new Date());
  await trackLinkedRepos(db);
  await copyKnownStars(db);
  const run: StarsRun = { checked: 0, errors: 0, rateLimitedUntil: null };
  for (const repo of await dueRepos(db, now(), options.batch ?? STARS_BATCH)) {
    const answer = await checkRepo(settings, repo.url, repo.etag, options.signal);
    const at = now();
    if (answer.check) {
      await recordRepoCheck(db, repo.url, answer.check, at, nextCheck(answer.check, at.getTime(), settings));
      run.checked++;
      if (answer.check.kind === 'error') run.errors++;
    }
    if (answer.waitUntil !== null) {
      const until = new Date(
        Math.min(Math.max(answer.waitUntil, at.getTime() + 60_000), at.getTime() + MAX_RATE_LIMIT_WAIT_MS),
      );
      await deferChecksUntil(db, until);
      run.rateLimitedUntil = until.toISOString();
      break;
    }
  }
  return run;
}
