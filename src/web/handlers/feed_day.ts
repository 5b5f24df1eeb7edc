import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { HttpError } from '../../errors.js';
import { redirectTo } from '../../http/reply.js';
import { periodPath } from '../../markup/urls.js';
import { dayPeriod } from '../../rank/periods.js';
import { formatCategoryFilter } from '../../search/query.js';
import { parseFeedQuery, periodFeedHandler } from '../feed.js';

const INVALID_DAY = 'Dates look like 2026-11-27 (year-month-day) and must exist on the calendar.';

/** GET /papers/date/YYYY-MM-DD: the papers featured on one day. */
export const feedDay = (ctx: AppContext) => periodFeedHandler(ctx, dayPeriod, INVALID_DAY);

/** GET /papers/date?day=YYYY-MM-DD[&category=…]: the calendar's "go to a day" form, sent on to that day's page. */
export function feedDayJump(
  request: FastifyRequest<{ Querystring: { day?: unknown; category?: unknown } }>,
  reply: FastifyReply,
) {
  const day = request.query.day;
  if (typeof day !== 'string' || !dayPeriod(day)) throw new HttpError(400, INVALID_DAY);
  const { category } = parseFeedQuery({ category: request.query.category });
  const path = periodPath('day', day);
  return redirectTo(
    reply,
    category ? `${path}?${new URLSearchParams({ category: formatCategoryFilter(category) })}` : path,
  );
}
