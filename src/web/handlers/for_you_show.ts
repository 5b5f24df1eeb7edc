import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { HttpError } from '../../errors.js';
import { redirectTo, sendPage } from '../../http/reply.js';
import { recommendFor } from '../../recommend/for-you.js';
import { listFollows } from '../../store/follows.js';
import { getPapers } from '../../store/papers.js';
import { FOR_YOU_PERIODS, forYouPage, type ForYouPeriod } from '../templates/for-you.js';
import { visitorFor } from '../visitor.js';

const PAGE_SIZE = 30;

/** The first day of a period ending today (UTC), or none for every paper. */
function periodStart(period: ForYouPeriod, today = new Date()): string | undefined {
  if (period === 'all') return undefined;
  const start = new Date(today.getTime() - (Number(period) - 1) * 86_400_000);
  return start.toISOString().slice(0, 10);
}

/** GET /for-you?days=1|7|30|365|all (default 7): the member's recommendations; visitors are sent to log in. */
export function forYouShow(ctx: AppContext) {
  return async (request: FastifyRequest<{ Querystring: { days?: unknown } }>, reply: FastifyReply) => {
    if (!request.auth) return redirectTo(reply, '/login?next=%2Ffor-you');
    const days = request.query.days ?? '7';
    if (!FOR_YOU_PERIODS.includes(days as ForYouPeriod))
      throw new HttpError(400, `days: expected one of ${FOR_YOU_PERIODS.join(', ')}`);
    const period = days as ForYouPeriod;
    const userId = request.auth.user.id;
    const [forYou, follows] = await Promise.all([
      recommendFor(ctx, userId, { limit: PAGE_SIZE, from: periodStart(period) }),
      listFollows(ctx.db, userId),
    ]);
    const ids = forYou.items.map((item) => item.id);
    const [papers, visitor] = await Promise.all([getPapers(ctx.db, ids), visitorFor(ctx.db, request, ids)]);
    const page = forYouPage({ forYou, papers: new Map(papers.map((p) => [p.id, p])), follows, period, visitor });
    return sendPage(reply.header('cache-control', 'no-store'), page);
  };
}
