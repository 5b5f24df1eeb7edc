import type { FastifyReply, FastifyRequest } from 'fastify';
import { FeedCache } from '../../feeds/cache.js';
import { canonicalQuery, parseFeedParams, type FeedFormat } from '../../feeds/params.js';
import { selectFeedEntries } from '../../feeds/query.js';
import { feedDocument, renderAtom, renderRss } from '../../feeds/render.js';
import { feedVersion, isNotModified } from '../../feeds/version.js';
import { getPapers } from '../../store/papers.js';
import type { AppContext, RouteModule } from '../app.js';

const CONTENT_TYPE: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};
const RENDER: Record<FeedFormat, typeof renderRss> = { rss: renderRss, atom: renderAtom };

// The list changes daily and its counts during the day; readers poll every few minutes to hours.
// Fifteen minutes of freshness, then a conditional request that costs one small query when unchanged.
const CACHE_CONTROL = 'public, max-age=900, stale-while-revalidate=3600';
const CACHE_BYTES = 32 * 1024 * 1024;

/**
 * GET /feed.xml (RSS 2.0) and /atom.xml (Atom 1.0) for any list: the day, trending, a search, a
 * category, an author. Each request reads the feed's fingerprint (its papers' ids, edit times and
 * counts, from any process that wrote them), answers 304 when the reader has it, and otherwise
 * serves the rendered document from memory, rendering only when the fingerprint changed.
 */
export const feedRoutes: RouteModule = (app, ctx) => {
  const cache = new FeedCache(CACHE_BYTES);
  const serve = (format: FeedFormat) => (request: FastifyRequest, reply: FastifyReply) => serveFeed(ctx, cache, format, request, reply);
  app.get('/feed.xml', serve('rss'));
  app.get('/atom.xml', serve('atom'));
};

async function serveFeed(ctx: AppContext, cache: FeedCache, format: FeedFormat, request: FastifyRequest, reply: FastifyReply) {
  const parsed = parseFeedParams(request.query as Record<string, unknown>);
  if (!parsed.ok) return reply.code(400).type('text/plain; charset=utf-8').send(`${parsed.error}\n`);
  const { params } = parsed;
  const baseUrl = ctx.config.BASE_URL;
  const key = `${format} ${baseUrl} ${canonicalQuery(params)}`;

  const entries = await selectFeedEntries(ctx.db, params);
  const version = feedVersion(key, entries);
  reply.header('cache-control', CACHE_CONTROL).header('etag', version.etag);
  if (version.lastModified) reply.header('last-modified', version.lastModified.toUTCString());
  if (isNotModified(request.headers, version)) return reply.code(304).send();

  let body = cache.get(key, version.etag);
  if (!body) {
    const papers = await getPapers(ctx.db, entries.map((e) => e.id));
    body = Buffer.from(RENDER[format](feedDocument(params, papers, baseUrl, version.lastModified)));
    cache.set(key, version.etag, body);
  }
  return reply.type(CONTENT_TYPE[format]).send(body);
}
