import type { RouteModule } from '../../app/server.js';
import { dayPeriod } from '../../rank/periods.js';
import { latestFeaturedDay } from '../../store/papers.js';
import { visitorFor } from '../visitor.js';
import { loadFeed } from '../feed.js';
import { sendCachedPage } from '../../http/page-cache.js';
import { emptyHomePage, feedPage } from '../templates/feed.js';

/** GET /: the most recent day with featured papers, or a welcome when there is none yet. */
export const feedLatest: RouteModule = (app, ctx) => {
  app.get('/', (request, reply) =>
    sendCachedPage(ctx, request, reply, 'latest', async () => {
      const day = await latestFeaturedDay(ctx.db);
      const period = day ? dayPeriod(day) : null;
      if (!period) return emptyHomePage(await visitorFor(ctx.db, request, []));
      const view = await loadFeed(ctx.db, period, 1);
      return feedPage({ ...view, isHome: true }, await visitorFor(ctx.db, request, view.papers.map((p) => p.id)));
    }),
  );
};
