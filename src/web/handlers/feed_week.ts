import type { AppContext } from '../../app/context.js';
import { weekPeriod } from '../../rank/periods.js';
import { periodFeedHandler } from '../feed.js';

/** GET /papers/week/YYYY-Www: the papers featured in one ISO week. */
export const feedWeek = (ctx: AppContext) =>
  periodFeedHandler(ctx, weekPeriod, 'Weeks look like 2026-W48: an ISO week that exists in that year.');
