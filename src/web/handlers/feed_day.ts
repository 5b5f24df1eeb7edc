import type { RouteModule } from '../../app/server.js';
import { dayPeriod } from '../../rank/periods.js';
import { periodFeedHandler } from '../feed.js';

/** GET /papers/date/YYYY-MM-DD: the papers featured on one day. */
export const feedDay: RouteModule = (app, ctx) => {
  app.get('/papers/date/:key', periodFeedHandler(ctx, dayPeriod, 'Dates look like 2026-11-27 (year-month-day) and must exist on the calendar.'));
};
