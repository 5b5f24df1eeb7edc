import type { FastifyReply, FastifyRequest } from 'fastify';
import { preferredCoding } from '../http/content-coding.js';
import { answerBytes, freshAnswer, matchesEntityTag } from '../http/page-cache.js';
import { collectionFeed } from './collection.js';
import { parseFeedParams, type FeedFormat } from './params.js';
import { personalFeed } from './personal.js';
import { isNotModified } from './version.js';
import type { RouteModule } from '../app/server.js';

const CONTENT_TYPE: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

// The list changes daily and its counts during the day; readers poll every few minutes to hours.
// Fifteen minutes of freshness, then a conditional request that costs next to nothing when unchanged.
const CACHE_CONTROL = 'public, max-age=900, stale-while-revalidate=3600';
/**
 * GET /feed.xml (RSS 2.0) and /atom.xml (Atom 1.0) for any list: the day, trending, a search, a
 * category, an author. Answers 304 when the reader holds the current version, else sends it from
 * memory, compressed once per version (brotli or gzip, as the reader accepts; see FeedService for how
 * it stays current).
 */
export const feedRoutes: RouteModule = (app, ctx) => {
  const { feeds } = ctx;

  const serve = (format: FeedFormat) => async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = parseFeedParams(request.query as Record<string, unknown>);
    if (!parsed.ok)
      return reply
        .code(400)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(`${parsed.error}\n`);

    const feed = await feeds.current(format, parsed.params, ctx.config.BASE_URL);
    const { etag, lastModified } = feed.version;
    reply.header('cache-control', CACHE_CONTROL).header('etag', etag).header('vary', 'Accept-Encoding');
    if (lastModified) reply.header('last-modified', lastModified.toUTCString());
    if (isNotModified(request.headers, feed.version)) return reply.code(304).send();

    reply.type(CONTENT_TYPE[format]);
    const coding = preferredCoding(request.headers['accept-encoding']);
    if (coding !== 'identity') reply.header('content-encoding', coding);
    return reply.send(feed.bytes[coding]);
  };
  app.get('/feed.xml', serve('rss'));
  app.get('/atom.xml', serve('atom'));

  // A public collection's feeds. Short-lived in caches: its owner may make it private again.
  const serveCollection =
    (format: FeedFormat) => async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const document = await collectionFeed(ctx.db, request.params.id, format, ctx.config.BASE_URL);
      const answer = freshAnswer(Buffer.from(document));
      reply.header('cache-control', 'public, max-age=300').header('etag', answer.etag).type(CONTENT_TYPE[format]);
      if (matchesEntityTag(request.headers['if-none-match'], answer.etag)) return reply.code(304).send();
      return reply.send(answerBytes(request, reply, answer));
    };
  app.get('/collections/:id/feed.xml', serveCollection('rss'));
  app.get('/collections/:id/atom.xml', serveCollection('atom'));

  // A member's private "For you" feed: personal, so no shared cache may keep it.
  const servePersonal =
    (format: FeedFormat) => async (request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
      const answer = freshAnswer(Buffer.from(await personalFeed(ctx, request.params.token, format)));
      reply.header('cache-control', 'private, max-age=300').header('etag', answer.etag).type(CONTENT_TYPE[format]);
      reply.header('referrer-policy', 'no-referrer');
      if (matchesEntityTag(request.headers['if-none-match'], answer.etag)) return reply.code(304).send();
      return reply.send(answerBytes(request, reply, answer));
    };
  app.get('/for-you/:token/feed.xml', servePersonal('rss'));
  app.get('/for-you/:token/atom.xml', servePersonal('atom'));
};
