import type { AppContext } from '../../app/context.js';
import { dayPeriod } from '../../rank/periods.js';
import { periodFeedHandler } from '../feed.js';

/** GET /papers/date/YYYY-MM-DD: the papers featured on one day. */
export const feedDay = (ctx: AppContext) =>
  periodFeedHandler(ctx, dayPeriod, 'Dates look like 2026-11-27 (year-month-day) and must exist on the calendar.');
