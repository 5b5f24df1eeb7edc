import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { dayPeriod } from '../../rank/periods.js';
import { latestFeaturedDay } from '../../store/papers.js';
import { visitorFor } from '../visitor.js';
import { feedCacheKey, loadFeed, parseFeedQuery } from '../feed.js';
import { sendCachedPage } from '../../http/page-cache.js';
import { emptyHomePage, feedPage } from '../templates/feed.js';

/** GET /: the most recent day with featured papers, or a welcome when there is none yet. */
export const feedLatest = (ctx: AppContext) => (request: FastifyRequest, reply: FastifyReply) => {
  const { page, category } = parseFeedQuery(request.query);
  return sendCachedPage(ctx, request, reply, feedCacheKey('latest', page, category), async () => {
    const day = await latestFeaturedDay(ctx.db);
    const period = day ? dayPeriod(day) : null;
    if (!period) return emptyHomePage(await visitorFor(ctx.db, request, []));
    const view = await loadFeed(ctx.db, period, page, category);
    return feedPage(
      { ...view, isHome: true, siteUrl: ctx.config.BASE_URL },
      await visitorFor(
        ctx.db,
        request,
        view.papers.map((p) => p.id),
      ),
    );
  });
};
