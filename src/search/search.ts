import { hasFilters, papersPassing } from './candidates.js';
import { withTypedFilters } from './query.js';
import { SearchModeUnavailable } from './errors.js';
import { scoreFusion } from './fusion.js';
import { searchLexical } from './lexical.js';
import { embedQuery, nearestPapers, searchSemantic, similarities } from './semantic.js';
import type { SearchContext, SearchHit, SearchMode, SearchRequest } from './types.js';

export { SearchModeUnavailable } from './errors.js';

/** The mode used when a caller names none: the best on scifact-train nDCG@10 (`npm run eval`). */
export const DEFAULT_SEARCH_MODE: SearchMode = 'hybrid';

/** How deep each ranking is read before fusing: fusion can lift a paper from rank 100 into the top 10. */
const HYBRID_DEPTH = 100;

/**
 * How much the semantic similarity counts against the BM25 score (see scoreFusion). Chosen on
 * scifact-train, where this pooled scoring beat reciprocal rank fusion and fusing the two top-100
 * lists by score; with the corpus-learned model, more weight cost nDCG@10 (`npm run eval` prints
 * the comparison as fusion_grid). A transformer model (EMBEDDING_MODEL) deserves a re-tune.
 */
export const HYBRID_SEMANTIC_WEIGHT = 0.1;

/**
 * The lexical and semantic top candidates, each scored by both: BM25 (0 when it missed the paper)
 * and its exact similarity to the query. Plain lexical when vectors are not ready.
 */
async function searchHybrid(ctx: SearchContext, request: SearchRequest): Promise<SearchAnswer> {
  const { db } = ctx;
  const offset = request.offset ?? 0;
  const depth: SearchRequest = { ...request, limit: Math.max(HYBRID_DEPTH, offset + request.limit), offset: 0 };
  // The two rankings are read at once: neither needs the other, and each is a round trip or more.
  const [lexicalHits, nearest] = await Promise.all([searchLexical(db, depth), nearestToQuery(ctx, request, depth)]);
  // Lexical search reads an author filter as words (semantic search as part of a name): the hybrid
  // list holds only papers that pass the filters as semantic search reads them.
  const passing = hasFilters(request.filters)
    ? await papersPassing(
        db,
        lexicalHits.map((h) => h.id),
        request.filters,
      )
    : null;
  const lexical = passing ? lexicalHits.filter((h) => passing.has(h.id)) : lexicalHits;
  if (!nearest) return { hits: lexical.slice(offset, offset + request.limit), answeredBy: 'lexical' };
  const found = new Set(nearest.papers.map((n) => n.id));
  const missing = lexical.filter((h) => !found.has(h.id)).map((h) => h.id);
  const semantic = new Map([
    ...nearest.papers.map((n): [string, number] => [n.id, n.score]),
    ...(await similarities(db, nearest.query.modelId, nearest.query.vector, missing)),
  ]);
  return {
    hits: scoreFusion(lexical, semantic, HYBRID_SEMANTIC_WEIGHT).slice(offset, offset + request.limit),
    answeredBy: 'hybrid',
  };
}

/** The query's vector and its nearest papers in the filters, or null while vectors are not ready. */
async function nearestToQuery(ctx: SearchContext, request: SearchRequest, depth: SearchRequest) {
  try {
    const query = await embedQuery(ctx, request.text);
    const papers = await nearestPapers(ctx, query.vector, {
      filters: request.filters,
      limit: depth.limit,
      waitForIndex: request.waitForIndex,
    });
    return { query, papers };
  } catch (error) {
    if (error instanceof SearchModeUnavailable) return null;
    throw error;
  }
}

/** A search's hits and the mode that ranked them: hybrid answers by words alone while vectors are not ready. */
export interface SearchAnswer {
  hits: SearchHit[];
  answeredBy: SearchMode;
}

/** One entry point for every caller: dispatches on the mode, best hits first, saying which mode answered. */
export async function answerSearch(ctx: SearchContext, typedRequest: SearchRequest): Promise<SearchAnswer> {
  // `au:` and `cat:` typed in the text are filters for every mode and every caller (CLI, eval, API).
  const request = { ...typedRequest, ...withTypedFilters(typedRequest.text, typedRequest.filters) };
  const mode = request.mode ?? DEFAULT_SEARCH_MODE;
  if (mode === 'lexical') return { hits: await searchLexical(ctx.db, request), answeredBy: mode };
  if (mode === 'semantic') return { hits: await searchSemantic(ctx, request), answeredBy: mode };
  return searchHybrid(ctx, request);
}

/** The hits of answerSearch, best first. */
export async function searchPapers(ctx: SearchContext, request: SearchRequest): Promise<SearchHit[]> {
  return (await answerSearch(ctx, request)).hits;
}
