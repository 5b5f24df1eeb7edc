import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { paperNamedBy } from '../search/lexical.js';
import { MAX_OFFSET, searchListing } from '../search/listing.js';
import { checkSearchQuery, searchOptions, searchParams } from '../http/search-params.js';
import { DEFAULT_SEARCH_MODE, SearchModeUnavailable } from '../search/search.js';
import { getPapers, latestFeaturedDay, listFeatured } from '../store/papers.js';
import { dailyPaperListJson, toDailyPaperJson, type DailyPaperJson } from './paper-json.js';
import { wholeNumber } from '../http/params.js';
import { nextPageLink } from './paging.js';
import { Answer, answers, defineApiRoute } from './route.js';
import { HttpError } from '../errors.js';

/** The most a search page holds, as on the Hub. */
export const MAX_SEARCH_LIMIT = 120;

/** The query of /api/papers/search: the Hub's `q` and `limit`, plus our mode, filters, order and paging. */
export const paperSearchQuery = z
  .object({
    ...searchParams,
    limit: wholeNumber(1, MAX_SEARCH_LIMIT, 20, `How many papers to return (at most ${MAX_SEARCH_LIMIT})`),
    p: wholeNumber(0, 100_000, 0, 'Page number, counted from 0 (pages of `limit` results)'),
    offset: z.coerce
      .number({ error: `expected a whole number from 0 to ${MAX_OFFSET}` })
      .int({ error: `expected a whole number from 0 to ${MAX_OFFSET}` })
      .min(0, { error: `expected a whole number from 0 to ${MAX_OFFSET}` })
      .max(MAX_OFFSET, { error: `expected a whole number from 0 to ${MAX_OFFSET}` })
      .optional()
      .describe(`How many results to skip (at most ${MAX_OFFSET}), instead of p`),
  })
  .superRefine(checkSearchQuery)
  .superRefine((query, ctx) => {
    if (query.p > 0 && query.offset !== undefined)
      ctx.addIssue({ code: 'custom', path: ['offset'], message: 'give p or offset, not both' });
    const skip = query.offset ?? query.p * query.limit;
    if (skip > MAX_OFFSET)
      ctx.addIssue({ code: 'custom', path: ['p'], message: `results are listed only up to the first ${MAX_OFFSET}` });
  });

/** Papers by id as Hub list items, in the order given; `site` is the public base URL. */
export async function searchResults(db: Db, ids: string[], site: string): Promise<DailyPaperJson[]> {
  return (await getPapers(db, ids)).map((paper) => toDailyPaperJson(paper, site));
}

/** What `list_papers()` without a query gets: the latest featured day, as the feed orders it. */
async function latestFeatured(db: Db, limit: number, site: string): Promise<DailyPaperJson[]> {
  const day = await latestFeaturedDay(db);
  if (!day) return [];
  return (await listFeatured(db, { from: day, to: day, limit })).map((paper) => toDailyPaperJson(paper, site));
}

export const paperSearchRoute = defineApiRoute({
  method: 'GET',
  operationId: 'searchPapers',
  path: '/api/papers/search',
  urls: ['/api/papers/search'],
  summary: 'Search papers',
  description:
    'Compatible with the Hugging Face Hub (`HfApi.list_papers`). Lexical mode ranks by BM25, title matches above abstract matches, ' +
    'papers with every word before papers with some. An arXiv id or URL as `q` answers that paper alone.',
  query: paperSearchQuery,
  responses: [
    answers.ok('Matching papers, best first (or in the order `sort` asks for)', dailyPaperListJson),
    answers.badRequest(
      'A parameter is malformed (q too long, an impossible date, an unknown mode or sort, a limit out of range…), or the mode is not available',
    ),
  ],
  cacheSeconds: 60,
  async handle({ query, url }, ctx) {
    const { db, config } = ctx;
    const options = searchOptions(query);
    if (!query.q?.trim()) return latestFeatured(db, query.limit, config.BASE_URL);
    const offset = query.offset ?? query.p * query.limit;
    const named = await paperNamedBy(db, options.text);
    if (named) return offset === 0 ? searchResults(db, [named], config.BASE_URL) : [];
    try {
      const listing = await searchListing(ctx, options, { limit: query.limit, offset });
      const papers = await searchResults(db, listing.ids, config.BASE_URL);
      const nextOffset = offset + query.limit;
      const next =
        listing.hasMore && nextOffset <= MAX_OFFSET
          ? nextPageLink(config.BASE_URL, url, query.offset === undefined ? { p: query.p + 1 } : { offset: nextOffset })
          : null;
      // The body keeps the Hub's shape; a header says which mode ranked it. A hybrid search ranked by
      // words alone (vectors still being prepared) is not kept by caches: it improves once they are ready.
      const ranked: Record<string, string> =
        listing.answeredBy === (options.mode ?? DEFAULT_SEARCH_MODE) ? {} : { 'cache-control': 'no-store' };
      return new Answer(papers, {
        headers: { 'x-search-mode': listing.answeredBy, ...ranked, ...(next ? { link: next } : {}) },
      });
    } catch (error) {
      if (error instanceof SearchModeUnavailable) throw new HttpError(400, `mode: ${error.message}`);
      throw error;
    }
  },
});
