import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { AppContext } from './app.js';
import type { SafeHtml } from './html.js';
import { sendPage } from './reply.js';

/**
 * A short-lived cache of whole feed pages as anonymous readers see them. A request without
 * cookies cannot carry a session, so its page is the same for everyone; reusing it for a couple
 * of seconds makes the busiest page cost one render per period instead of one per request,
 * while a vote or a new paper still shows within PAGE_CACHE_MS. Readers with cookies always get
 * a fresh render. Entries hold the render in flight, so a burst of requests renders once, and
 * keep the encoded bytes, so a hit costs no more than sending them.
 */
type PageCache = LRUCache<string, Promise<Buffer>>;

const caches = new WeakMap<AppContext, PageCache | null>();

function cacheOf(ctx: AppContext): PageCache | null {
  let cache = caches.get(ctx);
  if (cache === undefined) {
    // Keys are validated period keys and page numbers, so the entry count stays small.
    cache = ctx.config.PAGE_CACHE_MS > 0 ? new LRUCache<string, Promise<Buffer>>({ max: 500, ttl: ctx.config.PAGE_CACHE_MS }) : null;
    caches.set(ctx, cache);
  }
  return cache;
}

/** Sends the page `render` produces, reused for anonymous readers under `key` (see above). */
export async function sendCachedPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  render: () => Promise<SafeHtml>,
): Promise<FastifyReply> {
  const cache = cacheOf(ctx);
  // Signed-in readers (a cookie or an API token) see their own votes and name: never shared.
  if (!cache || request.headers.cookie || request.auth) return sendPage(reply, await render());
  let page = cache.get(key);
  if (!page) {
    const rendering = render().then((html) => Buffer.from(html.value));
    cache.set(key, rendering);
    // A failed render is not kept: the next request tries again.
    rendering.catch(() => cache.peek(key) === rendering && cache.delete(key));
    page = rendering;
  }
  return sendPage(reply, await page);
}
