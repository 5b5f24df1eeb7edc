import type { AppContext } from '../../app/context.js';
import { monthPeriod } from '../../rank/periods.js';
import { periodFeedHandler } from '../feed.js';

/** GET /papers/month/YYYY-MM: the papers featured in one calendar month. */
export const feedMonth = (ctx: AppContext) =>
  periodFeedHandler(ctx, monthPeriod, 'Months look like 2026-11 (year-month).');
