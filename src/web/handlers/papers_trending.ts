import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { visitorFor } from '../visitor.js';
import { feedLinksFor } from '../../feeds/params.js';
import { listTrending } from '../../store/papers.js';
import { sendPage } from '../../http/reply.js';
import { trendingPage } from '../templates/trending.js';

/** GET /papers/trending: featured papers by trending score. */
export function papersTrending({ db }: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const papers = await listTrending(db, { limit: 50 });
    const visitor = await visitorFor(
      db,
      request,
      papers.map((p) => p.id),
    );
    return sendPage(
      reply.header('cache-control', 'no-store'),
      trendingPage(papers, visitor, feedLinksFor({ view: 'trending' })),
    );
  };
}
