import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { monthPeriod, periodKeyOf, type Period } from '../rank/periods.js';
import { featuredDaysBetween, listFeatured, MAX_FEATURED_OFFSET, neighbouringFeaturedDays } from '../store/papers.js';
import { visitorFor } from './visitor.js';
import type { AppContext } from '../app/context.js';
import { sendCachedPage } from '../http/page-cache.js';
import { feedPage, type FeedView } from './templates/feed.js';
import { HttpError, invalidRequest } from '../errors.js';
import { categoryList } from '../http/search-params.js';
import { formatCategoryFilter, type CategoryFilter } from '../search/query.js';

const FEED_PAGE_SIZE = 50;
const MAX_FEED_PAGE = Math.floor(MAX_FEATURED_OFFSET / FEED_PAGE_SIZE) + 1;

/** Query parameters of the feed pages. */
const feedQuery = z.object({
  page: z.coerce.number().int().min(1).max(MAX_FEED_PAGE).default(1),
  category: categoryList.optional(),
});

export function parseFeedQuery(query: unknown): z.output<typeof feedQuery> {
  const parsed = feedQuery.safeParse(query ?? {});
  if (!parsed.success) {
    if (parsed.error.issues.some((issue) => issue.path[0] === 'category')) throw invalidRequest(parsed.error);
    throw new HttpError(400, `The page number must be a whole number from 1 to ${MAX_FEED_PAGE}.`);
  }
  return parsed.data;
}

/** The shared render's key for a page of a feed, with its category filter. */
export function feedCacheKey(base: string, page: number, category?: CategoryFilter): string {
  return `${base}/${page}${category ? `?${formatCategoryFilter(category)}` : ''}`;
}

/**
 * Everything a feed page shows for a period: one page of its papers in feed order, and the
 * nearest periods before and after it that have papers (so the arrows never lead to an empty page).
 */
export async function loadFeed(
  db: Db,
  period: Period,
  page: number,
  category?: CategoryFilter,
): Promise<Omit<FeedView, 'siteUrl'>> {
  const offset = (page - 1) * FEED_PAGE_SIZE;
  const filter = { categories: category?.include, excludedCategories: category?.exclude };
  // The calendar shows the month the period starts in.
  const month = monthPeriod(period.from.slice(0, 7))!;
  const [rows, before, after, calendarDays] = await Promise.all([
    listFeatured(db, { from: period.from, to: period.to, limit: FEED_PAGE_SIZE + 1, offset, ...filter }),
    neighbouringFeaturedDays(db, period.from, filter),
    period.kind === 'day' ? null : neighbouringFeaturedDays(db, period.to, filter),
    featuredDaysBetween(db, month.from, month.to, filter),
  ]);
  const papers = rows.slice(0, FEED_PAGE_SIZE);
  const latestShown = papers.reduce<string | null>(
    (latest, p) => (p.featuredOn && (!latest || p.featuredOn > latest) ? p.featuredOn : latest),
    null,
  );
  const nextDay = (after ?? before).next;
  return {
    period,
    papers,
    offset,
    page,
    hasMore: rows.length > FEED_PAGE_SIZE,
    previous: before.previous ? periodKeyOf(period.kind, before.previous) : null,
    next: nextDay ? periodKeyOf(period.kind, nextDay) : null,
    anchorDay: latestShown ?? period.from,
    calendar: { month: month.key, featuredDays: calendarDays },
    category,
  };
}

/**
 * The handler of a period page (`/papers/date/:key` and the like): `parse` turns the key into
 * the period, or null, in which case the reader sees `invalid` on a 400 page.
 */
export function periodFeedHandler(ctx: AppContext, parse: (key: string) => Period | null, invalid: string) {
  return async (request: FastifyRequest<{ Params: { key: string } }>, reply: FastifyReply) => {
    const period = parse(request.params.key);
    if (!period) throw new HttpError(400, invalid);
    const { page, category } = parseFeedQuery(request.query);
    return sendCachedPage(
      ctx,
      request,
      reply,
      feedCacheKey(`${period.kind}/${period.key}`, page, category),
      async () => {
        const view = await loadFeed(ctx.db, period, page, category);
        return feedPage(
          { ...view, siteUrl: ctx.config.BASE_URL },
          await visitorFor(
            ctx.db,
            request,
            view.papers.map((p) => p.id),
          ),
        );
      },
    );
  };
}
