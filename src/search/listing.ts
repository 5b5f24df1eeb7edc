import type { SearchContext, SearchMode } from './types.js';
import { orderPaperIds } from '../store/papers.js';
import type { SearchOptions } from './types.js';
import { answerSearch } from './search.js';

/** How many best matches a search ordered by date or upvotes picks from: the rest match too weakly to list. */
export const SORT_CANDIDATES = 500;
/** Deepest result a search pages to. */
export const MAX_OFFSET = 1000;

export interface SearchListing {
  /** Paper ids of this page, in order. */
  ids: string[];
  /** Whether a next page has more. */
  hasMore: boolean;
  /** The mode that ranked them: `lexical` for a hybrid search while the vector index is not ready. */
  answeredBy: SearchMode;
}

/**
 * One page of a search in the order asked for; by relevance straight from the search, else re-ordered
 * from the best matches. For requests a server answers: it never waits for the vector index.
 */
export async function searchListing(
  ctx: SearchContext,
  options: SearchOptions,
  page: { limit: number; offset: number },
): Promise<SearchListing> {
  const request = { text: options.text, mode: options.mode, filters: options.filters, waitForIndex: false };
  if (options.sort === 'relevance') {
    const { hits, answeredBy } = await answerSearch(ctx, { ...request, limit: page.limit + 1, offset: page.offset });
    return { ids: hits.slice(0, page.limit).map((h) => h.id), hasMore: hits.length > page.limit, answeredBy };
  }
  const candidates = await answerSearch(ctx, { ...request, limit: SORT_CANDIDATES });
  const ids = await orderPaperIds(
    ctx.db,
    candidates.hits.map((h) => h.id),
    options.sort === 'date' ? 'published' : 'upvotes',
    {
      limit: page.limit + 1,
      offset: page.offset,
    },
  );
  return { ids: ids.slice(0, page.limit), hasMore: ids.length > page.limit, answeredBy: candidates.answeredBy };
}
