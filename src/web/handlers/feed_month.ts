import type { RouteModule } from '../../app/server.js';
import { monthPeriod } from '../../rank/periods.js';
import { periodFeedHandler } from '../feed.js';

/** GET /papers/month/YYYY-MM: the papers featured in one calendar month. */
export const feedMonth: RouteModule = (app, ctx) => {
  app.get('/papers/month/:key', periodFeedHandler(ctx, monthPeriod, 'Months look like 2026-11 (year-month).'));
};
