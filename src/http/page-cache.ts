import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../app/context.js';
import type { Config } from '../config/index.js';
import { COMPRESS_FROM_BYTES, encodeEveryWay, preferredCoding, type ContentCoding } from './content-coding.js';
import type { SafeHtml } from '../markup/html.js';
import { sendPage } from './reply.js';

/**
 * A short-lived cache of whole answers that are the same for everyone: feed pages as anonymous
 * readers see them (a request without cookies cannot carry a session) and the public JSON API.
 * Reusing an answer for PAGE_CACHE_MS makes the busiest URLs cost one render per period instead
 * of one per request. A write of shared content through any web process (a vote, a comment, a
 * submission, moderation) drops every entry, here at once and in the others when they hear of it
 * (PostgreSQL LISTEN/NOTIFY), so its author sees it wherever the next request lands; writes by
 * other commands (an import, a harvest) show within PAGE_CACHE_MS. Entries hold the render in flight,
 * so a burst of requests renders once, and keep the encoded bytes with their entity tag, so a
 * hit costs no more than sending them: compressed once too, as browsers and most clients ask.
 */
export interface SharedAnswer {
  body: Buffer;
  /** A strong entity tag of the body, for conditional requests. */
  etag: string;
  /** The body in every coding, for answers shared often enough to be worth compressing. */
  encoded?: Record<ContentCoding, Buffer>;
  /** Headers that belong to this body (an API page's Link to the next), sent with every copy of it. */
  headers?: Record<string, string>;
}

/** A body as produced, with any headers of its own. */
export type ProducedAnswer = Buffer | { body: Buffer; headers: Record<string, string> };

export type AnswerCache = LRUCache<string, Promise<SharedAnswer>>;

/** The app context's shared answers; null when PAGE_CACHE_MS is 0 (every answer produced afresh). */
export function createAnswerCache(config: Pick<Config, 'PAGE_CACHE_MS'>): AnswerCache | null {
  // Keys are validated period keys, page numbers and parsed API queries, so the entry count stays small.
  return config.PAGE_CACHE_MS > 0
    ? new LRUCache<string, Promise<SharedAnswer>>({ max: 500, ttl: config.PAGE_CACHE_MS })
    : null;
}

/** An answer produced for one request only, tagged like a shared one. */
export function freshAnswer(produced: ProducedAnswer): SharedAnswer {
  const { body, headers } = Buffer.isBuffer(produced) ? { body: produced, headers: undefined } : produced;
  return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, headers };
}

/** Whether an If-None-Match header names this entity tag (weakly, as RFC 9110 asks for GET), or is `*`. */
export function matchesEntityTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((listed) => {
    const tag = listed.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/** The answer `produce` gives, shared under `key` for PAGE_CACHE_MS (produced afresh when the cache is off). */
export async function sharedAnswer(
  { sharedAnswers: cache }: Pick<AppContext, 'sharedAnswers'>,
  key: string,
  produce: () => Promise<ProducedAnswer>,
): Promise<SharedAnswer> {
  if (!cache) return freshAnswer(await produce());
  let answer = cache.get(key);
  if (!answer) {
    const producing = produce().then((produced) => {
      const fresh = freshAnswer(produced);
      return { ...fresh, encoded: fresh.body.length >= COMPRESS_FROM_BYTES ? encodeEveryWay(fresh.body) : undefined };
    });
    cache.set(key, producing);
    // A failed render is not kept: the next request tries again.
    producing.catch(() => cache.peek(key) === producing && cache.delete(key));
    answer = producing;
  }
  return answer;
}

/**
 * The answer's bytes in the coding the client prefers, with Content-Encoding and Vary set. A
 * compressed copy carries the entity tag weakened (as RFC 9110 asks of a different encoding), so
 * conditional requests with either tag still match under the weak comparison.
 */
export function answerBytes(request: FastifyRequest, reply: FastifyReply, answer: SharedAnswer): Buffer {
  if (!answer.encoded) return answer.body;
  reply.header('vary', 'Accept-Encoding');
  const coding = preferredCoding(request.headers['accept-encoding']);
  if (coding === 'identity') return answer.body;
  reply.header('content-encoding', coding);
  if (reply.hasHeader('etag')) reply.header('etag', `W/${answer.etag}`);
  return answer.encoded[coding];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route changes what every reader sees (see changesSharedAnswers). */
    changesSharedAnswers?: boolean;
  }
}

/**
 * Route options of a write that changes what every reader sees: a vote, a comment, a submission, a
 * moderation action. Only such a write, once it succeeded, drops the shared answers; a login, a
 * subscription or a refused request changes nothing they show, and must not make every reader's
 * next page render afresh.
 */
export const changesSharedAnswers = { config: { changesSharedAnswers: true } };

/**
 * Drops every shared answer after each successful write of shared content, here and in the other web
 * processes on the same PostgreSQL database, so the change shows on the next read wherever it lands.
 */
export function forgetSharedAnswersOnWrites(app: FastifyInstance, { cluster }: Pick<AppContext, 'cluster'>): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.config.changesSharedAnswers && reply.statusCode < 400) cluster.sharedAnswersChanged();
  });
}

/** Sends the page `render` produces, shared among anonymous readers under `key` (see above). */
export async function sendCachedPage(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  render: () => Promise<SafeHtml>,
): Promise<FastifyReply> {
  // Signed-in readers (a cookie or an API token) see their own votes and name: never shared.
  if (request.headers.cookie || request.auth) return sendPage(reply, await render());
  const page = await sharedAnswer(ctx, `page ${key}`, async () => Buffer.from((await render()).value));
  return sendPage(reply, answerBytes(request, reply, page));
}
