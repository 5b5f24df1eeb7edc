import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { fixedWindow } from '../community/rate-limit.js';
import type { IpRateLimitSetting } from '../config/index.js';
import type { RouteModule } from '../app/server.js';
import { HttpError } from '../errors.js';

/** What an anonymous read costs the server: a search ranks the corpus; the rest is indexed or shared. */
export type ReadKind = 'search' | 'read';

/** The kind of an anonymous GET, or null for what is not limited (pages of the feed, static files, health). */
export function readKind(url: string): ReadKind | null {
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  if (path === '/search' || path === '/api/papers/search') return 'search';
  if (path === '/feed.xml' || path === '/atom.xml') return new URLSearchParams(query).get('q') ? 'search' : 'read';
  return path.startsWith('/api/') ? 'read' : null;
}

const SETTING = { search: 'SEARCH_LIMIT_PER_IP', read: 'API_LIMIT_PER_IP' } as const satisfies Record<ReadKind, string>;

/** How many distinct client addresses are counted at once; the least recent beyond it are forgotten. */
const MAX_CLIENTS = 100_000;

/**
 * Per-IP limits on what strangers can make the server do: searches, and the JSON API and feeds.
 * Counted in this process's memory, unlike the write limits (community/rate-limit.ts), which share
 * the database: a read limit protects this process's time, and a database write per read would
 * cost more than most reads. Members (a session or an API token) are not limited here.
 */
export const readLimits: RouteModule = (app, { config }) => {
  const counts = new LRUCache<string, { hits: number }>({ max: MAX_CLIENTS });

  /** Counts a hit; the seconds until the window ends when it is over the limit, else null. */
  const overLimit = (kind: ReadKind, request: FastifyRequest): number | null => {
    const limit: IpRateLimitSetting = config[SETTING[kind]];
    const window = fixedWindow(new Date(), limit.windowSeconds);
    const key = `${kind} ${request.ip} ${window.start}`;
    let count = counts.get(key);
    if (!count) {
      count = { hits: 0 };
      counts.set(key, count, { ttl: window.secondsLeft * 1000 });
    }
    count.hits++;
    return count.hits > limit.perIp ? window.secondsLeft : null;
  };

  app.addHook('onRequest', async (request) => {
    if (request.auth || (request.method !== 'GET' && request.method !== 'HEAD')) return;
    const kind = readKind(request.url);
    const secondsLeft = kind ? overLimit(kind, request) : null;
    if (secondsLeft === null) return;
    const what = kind === 'search' ? 'searches' : 'requests';
    const seconds = `${secondsLeft} second${secondsLeft === 1 ? '' : 's'}`;
    const message = `Too many ${what} from your address. Try again in ${seconds}.`;
    throw new HttpError(429, message, { retryAfterSeconds: secondsLeft });
  });
};
