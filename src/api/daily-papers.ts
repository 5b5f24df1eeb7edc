import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { dayPeriod, isValidDay, monthPeriod, weekPeriod } from '../rank/periods.js';
import { latestFeaturedDay, listFeatured, MAX_FEATURED_OFFSET, type FeedSort } from '../store/papers.js';
import { dailyPaperListJson, toDailyPaperJson } from './paper-json.js';
import { limitParam, textParam, wholeNumber } from '../http/params.js';
import { categoryList } from '../http/search-params.js';
import { nextPageLink } from './paging.js';
import { Answer, defineApiRoute, answers } from './route.js';

const SORTS = ['upvotes', 'trending', 'publishedAt', 'stars'] as const;
const FEED_SORT: Record<(typeof SORTS)[number], FeedSort> = {
  upvotes: 'upvotes',
  trending: 'trending',
  publishedAt: 'published',
  stars: 'stars',
};

export const dailyPapersQuery = z
  .object({
    date: z
      .string({ error: 'expected a single day' })
      .refine(isValidDay, { error: 'expected a calendar day as YYYY-MM-DD, such as 2026-11-29' })
      .meta({ description: 'Papers featured on this day (UTC)', format: 'date', examples: ['2026-11-29'] })
      .optional(),
    week: z
      .string({ error: 'expected a single week' })
      .refine((v) => weekPeriod(v) !== null, { error: 'expected an ISO week as YYYY-Www, such as 2026-W48' })
      .meta({
        description: 'Papers featured in this ISO-8601 week (Monday to Sunday)',
        pattern: '^\\d{4}-W\\d{2}$',
        examples: ['2026-W48'],
      })
      .optional(),
    month: z
      .string({ error: 'expected a single month' })
      .refine((v) => monthPeriod(v) !== null, { error: 'expected a month as YYYY-MM, such as 2026-11' })
      .meta({ description: 'Papers featured in this month', pattern: '^\\d{4}-\\d{2}$', examples: ['2026-11'] })
      .optional(),
    p: wholeNumber(0, MAX_FEATURED_OFFSET, 0, `Page number, counted from 0 (p × limit at most ${MAX_FEATURED_OFFSET})`),
    limit: limitParam(50),
    sort: z
      .enum(SORTS, { error: `expected one of ${SORTS.join(', ')}` })
      .optional()
      .describe(
        'upvotes (the feed order, default): most upvoted first; trending: by trending score; publishedAt: most recently published first; stars: most GitHub stars first (papers without a known count last)',
      ),
    submitter: textParam(100, 'Only papers submitted by this username').optional(),
    category: categoryList.optional(),
  })
  .superRefine((query, ctx) => {
    const periods = [query.date, query.week, query.month].filter((v) => v !== undefined);
    if (periods.length > 1) ctx.addIssue({ code: 'custom', message: 'give only one of date, week or month' });
    if (query.p * query.limit > MAX_FEATURED_OFFSET) {
      const most = MAX_FEATURED_OFFSET;
      const message = `papers are listed only up to the first ${most}: p × limit must be at most ${most}`;
      ctx.addIssue({ code: 'custom', path: ['p'], message });
    }
  });

type DailyPapersQuery = z.output<typeof dailyPapersQuery>;

/**
 * The featured days a request covers. Without a period, trending, by-stars and per-submitter listings span the
 * whole feed (as on the Hub); a plain listing shows the latest featured day. Null: nothing featured yet.
 */
async function requestedDays(db: Db, query: DailyPapersQuery): Promise<{ from?: string; to?: string } | null> {
  if (query.date) return dayPeriod(query.date);
  if (query.week) return weekPeriod(query.week);
  if (query.month) return monthPeriod(query.month);
  if (query.sort === 'trending' || query.sort === 'stars' || query.submitter) return {};
  const latest = await latestFeaturedDay(db);
  return latest ? { from: latest, to: latest } : null;
}

export const dailyPapersRoute = defineApiRoute({
  method: 'GET',
  operationId: 'listDailyPapers',
  path: '/api/daily_papers',
  urls: ['/api/daily_papers'],
  summary: 'The papers featured on a day, week or month',
  description:
    'Compatible with the Hugging Face Hub (`HfApi.list_daily_papers`). Without date, week or month: the latest featured day.',
  query: dailyPapersQuery,
  responses: [
    answers.ok('Featured papers, one page', dailyPaperListJson),
    answers.badRequest('A parameter is malformed (an impossible date, an unknown sort, a limit out of range…)'),
  ],
  cacheSeconds: 60,
  shared: true,
  async handle({ query, url }, { db, config }) {
    const days = await requestedDays(db, query);
    if (!days) return [];
    // One more than the page, to know whether a next page exists.
    const papers = await listFeatured(db, {
      ...days,
      sort: FEED_SORT[query.sort ?? 'upvotes'],
      limit: query.limit + 1,
      offset: query.p * query.limit,
      submittedBy: query.submitter,
      categories: query.category?.include,
      excludedCategories: query.category?.exclude,
    });
    const body = papers.slice(0, query.limit).map((paper) => toDailyPaperJson(paper, config.BASE_URL));
    const next = query.p + 1;
    const more = papers.length > query.limit && next * query.limit <= MAX_FEATURED_OFFSET;
    return more ? new Answer(body, { headers: { link: nextPageLink(config.BASE_URL, url, { p: next }) } }) : body;
  },
});
