import { z } from 'zod';
import { categoryList, MAX_AUTHOR_LENGTH, MAX_QUERY_LENGTH } from '../http/search-params.js';
import { formatCategoryFilter } from '../search/query.js';
import type { AlternateFeed } from '../web/templates/layout.js';

export type FeedFormat = 'rss' | 'atom';
export type FeedView = 'daily' | 'trending';

/**
 * What a feed lists, as /feed.xml and /atom.xml read it from their query string: the featured
 * papers (those on the day lists), or with `q` the papers matching a search, narrowed by the filters.
 */
export interface FeedParams {
  /** daily: newest day (or, in a search, date) first, most upvoted first within it; trending: by the community's trending score. */
  view: FeedView;
  /** A search; its feed looks at every paper, as the search page does, not only featured ones. */
  q: string | null;
  /** Any of these arXiv categories (sorted, distinct). */
  categories: string[];
  /** None of these (sorted, distinct). */
  excludedCategories: string[];
  author: string | null;
  minUpvotes: number;
  limit: number;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export const DEFAULT_FEED_PARAMS: FeedParams = {
  view: 'daily',
  q: null,
  categories: [],
  excludedCategories: [],
  author: null,
  minUpvotes: 0,
  limit: DEFAULT_LIMIT,
};

// A line break or tab means nothing in a feed's name or search (unlike in a form's text).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHAR = /[\u0000-\u001F\u007F-\u009F]/;

const freeText = (max: number) =>
  z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !CONTROL_CHAR.test(s), { error: 'must not contain control characters' })
    .transform((s) => s.replace(/\s+/g, ' ').trim());

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .refine((s) => /^\d{1,10}$/.test(s) && Number(s) >= min && Number(s) <= max, {
      error: `must be a whole number from ${min} to ${max}`,
    })
    .transform(Number);

const feedQuery = z.object({
  view: z.enum(['daily', 'trending'], { error: 'must be daily or trending' }).optional(),
  q: freeText(MAX_QUERY_LENGTH).optional(),
  category: categoryList.optional(),
  author: freeText(MAX_AUTHOR_LENGTH).optional(),
  min_upvotes: wholeNumber(0, 1_000_000_000).optional(),
  limit: wholeNumber(1, MAX_LIMIT).optional(),
});

export type ParsedFeedParams = { ok: true; params: FeedParams } | { ok: false; error: string };

/**
 * Reads feed parameters from a decoded query object (values are strings, or arrays when repeated).
 * Unknown parameters (utm_source and the like) are ignored; empty ones count as absent.
 */
export function parseFeedParams(query: Record<string, unknown>): ParsedFeedParams {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(feedQuery.shape)) {
    let value = query[key];
    if (Array.isArray(value)) {
      if (key !== 'category') return { ok: false, error: `Invalid feed parameter ${key}: give it only once` };
      value = value.join(' ');
    }
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = feedQuery.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `Invalid feed parameter ${String(issue.path[0])}: ${issue.message}` };
  }
  const { view, q, category, author, min_upvotes, limit } = parsed.data;
  return {
    ok: true,
    params: {
      view: view ?? 'daily',
      q: q || null,
      categories: category?.include ?? [],
      excludedCategories: category?.exclude ?? [],
      author: author || null,
      minUpvotes: min_upvotes ?? 0,
      limit: limit ?? DEFAULT_LIMIT,
    },
  };
}

/** The query string that names these parameters, defaults left out, in a fixed order. */
export function canonicalQuery(params: FeedParams): string {
  const search = new URLSearchParams();
  if (params.view !== 'daily') search.set('view', params.view);
  if (params.q) search.set('q', params.q);
  if (params.categories.length + params.excludedCategories.length > 0)
    search.set('category', formatCategoryFilter({ include: params.categories, exclude: params.excludedCategories }));
  if (params.author) search.set('author', params.author);
  if (params.minUpvotes > 0) search.set('min_upvotes', String(params.minUpvotes));
  if (params.limit !== DEFAULT_LIMIT) search.set('limit', String(params.limit));
  return search.toString();
}

export function feedPath(format: FeedFormat, params: FeedParams): string {
  const query = canonicalQuery(params);
  return `${format === 'rss' ? '/feed.xml' : '/atom.xml'}${query ? `?${query}` : ''}`;
}

/** A human title such as "Daily papers in cs.CL by Ada Lovelace". */
export function feedTitle(params: FeedParams): string {
  const parts = [params.view === 'trending' ? 'Trending papers' : params.q ? 'Newest papers' : 'Daily papers'];
  if (params.categories.length > 0) parts.push(`in ${params.categories.join(', ')}`);
  if (params.excludedCategories.length > 0) parts.push(`not in ${params.excludedCategories.join(', ')}`);
  if (params.author) parts.push(`by ${params.author}`);
  if (params.q) parts.push(`matching “${params.q}”`);
  if (params.minUpvotes > 0) parts.push(`with at least ${params.minUpvotes} upvotes`);
  return parts.join(' ');
}

/** What the feed's order means, for the channel description. */
export function feedDescription(params: FeedParams): string {
  if (params.view === 'trending') return 'Papers ordered by the community’s trending score: recent upvotes count most.';
  if (params.q) return 'Papers matching a search, newest first (the day they were featured, or else published).';
  return 'The papers featured each day, newest day first; within a day, the most upvoted first.';
}

/** The HTML page that shows the same list: the search page for a search, else the trending or daily page. */
export function listPagePath(params: FeedParams): string {
  if (params.q) {
    const search = new URLSearchParams({ q: params.q });
    if (params.categories.length + params.excludedCategories.length > 0)
      search.set('category', formatCategoryFilter({ include: params.categories, exclude: params.excludedCategories }));
    if (params.author) search.set('author', params.author);
    return `/search?${search.toString()}`;
  }
  return params.view === 'trending' ? '/papers/trending' : '/';
}

/**
 * The RSS and Atom feeds that follow a list page, for `layout({alternateFeeds})`: pages pass what
 * they show, e.g. `feedLinksFor({view: 'trending'})` or `feedLinksFor({q, categories: [category]})`.
 */
export function feedLinksFor(filter: Partial<FeedParams> = {}): AlternateFeed[] {
  const params = { ...DEFAULT_FEED_PARAMS, ...filter, categories: [...new Set(filter.categories ?? [])].sort() };
  const title = feedTitle(params);
  return [
    { title: `${title} (RSS)`, href: feedPath('rss', params), type: 'application/rss+xml' },
    { title: `${title} (Atom)`, href: feedPath('atom', params), type: 'application/atom+xml' },
  ];
}
