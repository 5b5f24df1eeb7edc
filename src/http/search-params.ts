import { z } from 'zod';
import { textParam } from './params.js';
import {
  CATEGORY,
  MIN_AUTHOR_WORD,
  parseCategoryFilter,
  withTypedFilters,
  wordsOf,
  type CategoryFilter,
} from '../search/query.js';
import {
  SEARCH_MODES,
  SEARCH_SORTS,
  type SearchFilters,
  type SearchMode,
  type SearchOptions,
  type SearchSort,
} from '../search/types.js';

/**
 * The search parameters the results page and `GET /api/papers/search` share, as zod schemas:
 * they validate requests and describe the API in OpenAPI. Bad values get a message naming the
 * parameter and what it accepts.
 */

export const MAX_QUERY_LENGTH = 500;
export const MAX_AUTHOR_LENGTH = 200;
export const MAX_CATEGORIES = 20;

/** YYYY-MM-DD naming a day that exists (not 2026-02-30). */
function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export const day = (description: string) =>
  z
    .string({ error: 'expected a single date' })
    .refine(isCalendarDay, {
      error: 'expected a date as YYYY-MM-DD, such as 2026-01-31',
    })
    .meta({ description, pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2026-01-31'] });

/**
 * Categories to include and to leave out (see parseCategoryFilter), distinct and sorted (so equal
 * filters make equal cache keys). `cs.CL+cs.AI-cs.CY` arrives as "cs.CL cs.AI-cs.CY" (a `+` decodes
 * to a space); commas work too. Every list and feed shares it.
 */
export const categoryList = z
  .string({ error: 'expected a single list of categories, such as cs.CL+cs.AI' })
  .max(MAX_CATEGORIES * 33, { error: 'is too long' })
  .transform(parseCategoryFilter)
  .refine((f) => f.include.length + f.exclude.length <= MAX_CATEGORIES, {
    error: `must name at most ${MAX_CATEGORIES} categories`,
  })
  .refine((f) => [...f.include, ...f.exclude].every((c) => CATEGORY.test(c)), {
    error: 'must be arXiv categories such as cs.CL, joined by + (and - before one to leave it out)',
  })
  .meta({
    description:
      'Only papers in any of these arXiv categories, joined by + or commas; a category after - leaves its papers out (cs.CL+cs.LG-cs.CY)',
    examples: ['cs.CL+cs.AI', 'cs.CL+cs.LG-cs.CY'],
  });

/** What to look for and how to narrow and order it; paging is added by each consumer. */
export const searchParams = {
  q: textParam(
    MAX_QUERY_LENGTH,
    'Words to look for in titles, abstracts and author names. Supports "quoted phrases", prefix*, au:name, cat:cs.CL and ti:word; an arXiv id or URL finds that paper',
  ).optional(),
  mode: z
    .enum(SEARCH_MODES, { error: `expected one of ${SEARCH_MODES.join(', ')}` })
    .optional()
    .describe('lexical: by words (BM25); semantic: by meaning; hybrid: both, fused'),
  from: day('Only papers published on or after this day').optional(),
  to: day('Only papers published on or before this day').optional(),
  category: categoryList.optional(),
  author: textParam(
    MAX_AUTHOR_LENGTH,
    'Only papers with an author whose name contains this (whole words or their beginnings)',
  ).optional(),
  sort: z
    .enum(SEARCH_SORTS, { error: `expected one of ${SEARCH_SORTS.join(', ')}` })
    .default('relevance')
    .describe(
      'relevance (default): best match first; date: newest first; upvotes: most upvoted first (both among the best 500 matches)',
    ),
};

type SearchQuery = { q?: string; from?: string; to?: string; category?: CategoryFilter; author?: string };

/**
 * What the single parameters cannot say alone: from after to is a mistake worth saying, not an empty
 * list; and the filters typed in `q` (`au:`, `cat:`) count against the same limits as the parameters.
 */
export function checkSearchQuery(query: SearchQuery, ctx: z.RefinementCtx): void {
  if (query.from && query.to && query.from > query.to)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  const { filters } = withTypedFilters(query.q ?? '', { categories: query.category?.include, author: query.author });
  const where = query.author?.trim() ? ['author'] : ['q'];
  if (filters.author && !wordsOf(filters.author).some((word) => word.length >= MIN_AUTHOR_WORD)) {
    const message = `an author filter must have a word of at least ${MIN_AUTHOR_WORD} letters`;
    ctx.addIssue({ code: 'custom', path: where, message });
  }
  if ((filters.categories?.length ?? 0) > MAX_CATEGORIES) {
    const message = `must name at most ${MAX_CATEGORIES} categories (with cat: in q)`;
    ctx.addIssue({ code: 'custom', path: ['category'], message });
  }
}

export function searchOptions(query: {
  q?: string;
  mode?: SearchMode;
  from?: string;
  to?: string;
  category?: CategoryFilter;
  author?: string;
  sort: SearchSort;
}): SearchOptions {
  const given: SearchFilters = {};
  if (query.from) given.from = query.from;
  if (query.to) given.to = query.to;
  if (query.category?.include.length) given.categories = query.category.include;
  if (query.category?.exclude.length) given.excludedCategories = query.category.exclude;
  if (query.author?.trim()) given.author = query.author.trim();
  const { text, filters } = withTypedFilters(query.q ?? '', given);
  return { text, mode: query.mode, filters, sort: query.sort };
}
