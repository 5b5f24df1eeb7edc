import type { RepoCheck } from '../store/github-repos.js';

/** Larger than any repository answer of the GitHub API (a few KB); a bigger body is refused unread. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export interface GithubSettings {
  apiUrl: string;
  token?: string;
  timeoutMs: number;
}

/** owner/name of a https://github.com/owner/name URL; null for anything else. */
export function repoPath(url: string): string | null {
  const match = /^https:\/\/github\.com\/([\w.-]{1,100})\/([\w.-]{1,100})$/i.exec(url);
  // `..` as a name would climb out of /repos/ in the API's URL.
  if (!match || /^\.+$/.test(match[1]!) || /^\.+$/.test(match[2]!)) return null;
  return `${match[1]}/${match[2]}`;
}

/**
 * When a refusal or an answer says to stop: a 403/429 with no requests left (X-RateLimit-Remaining 0,
 * until X-RateLimit-Reset) or with Retry-After (secondary limits); also any answer that spends the last
 * request. Null: carry on.
 */
export function rateLimitUntil(status: number, headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  if ((status === 403 || status === 429) && retryAfter && /^\d{1,7}$/.test(retryAfter.trim()))
    return now + Number(retryAfter.trim()) * 1000;
  const remaining = headers.get('x-ratelimit-remaining');
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (remaining?.trim() === '0') return Number.isFinite(reset) && reset > 0 ? reset * 1000 : now + 60 * 60 * 1000;
  // A 429, or a 403 that names no limit, is a limit all the same (GitHub's secondary limits): wait a minute.
  if (status === 429 || (status === 403 && remaining === null)) return now + 60 * 1000;
  return null;
}

/** The star count in a repository answer, or null when the answer is not one (wrong types, no count). */
export function starsOf(body: unknown): number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const stars = (body as { stargazers_count?: unknown }).stargazers_count;
  return typeof stars === 'number' && Number.isSafeInteger(stars) && stars >= 0 ? stars : null;
}

/** The body as text, or null when it is larger than MAX_ANSWER_BYTES (declared or read). */
export async function readCapped(response: Response): Promise<string | null> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface RepoAnswer {
  /** What the answer says of the repository; null when the API refused to answer for its rate limit. */
  check: RepoCheck | null;
  /** Epoch ms until which the API must not be asked again; null: carry on. */
  waitUntil: number | null;
}

/**
 * Asks the GitHub API for a repository's stars, conditionally on the last ETag (a 304 costs no
 * rate limit). A 404/410/451 is a repository gone; a 5xx, a timeout, an oversized or malformed answer
 * is an error, retried on a later run. Says when the rate limit asks to stop.
 */
export async function checkRepo(
  settings: GithubSettings,
  url: string,
  etag: string | null,
  signal?: AbortSignal,
): Promise<RepoAnswer> {
  const path = repoPath(url);
  if (!path) return { check: { kind: 'missing' }, waitUntil: null };
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'user-agent': 'dailypapers',
    'x-github-api-version': '2022-11-28',
  };
  if (settings.token) headers.authorization = `Bearer ${settings.token}`;
  if (etag) headers['if-none-match'] = etag;
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${settings.apiUrl.replace(/\/+$/, '')}/repos/${path}`, {
      headers,
      redirect: 'follow',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { check: { kind: 'error' }, waitUntil: null };
  }
  const waitUntil = rateLimitUntil(response.status, response.headers);
  if (waitUntil !== null && (response.status === 403 || response.status === 429)) {
    await response.body?.cancel();
    return { check: null, waitUntil };
  }
  // An answer that spent the last request still counts; only the next must wait.
  return { check: await readCheck(response, signal), waitUntil };
}

async function readCheck(response: Response, signal?: AbortSignal): Promise<RepoCheck> {
  if (response.status === 304) return { kind: 'unchanged' };
  if ([404, 410, 451].includes(response.status)) {
    await response.body?.cancel();
    return { kind: 'missing' };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return { kind: 'error' };
  }
  let text: string | null;
  try {
    text = await readCapped(response);
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: 'error' };
  }
  let stars: number | null = null;
  try {
    stars = text === null ? null : starsOf(JSON.parse(text));
  } catch {
    stars = null;
  }
  return stars === null ? { kind: 'error' } : { kind: 'stars', stars, etag: response.headers.get('etag') };
}
