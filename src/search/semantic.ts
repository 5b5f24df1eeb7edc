import type { Db } from '../db/connection.js';
import { vectorsOfPapers } from '../store/embeddings.js';
import { countFilteredVectors, exactNearest, hasFilters, papersOfKeys } from './candidates.js';
import { SearchModeUnavailable } from './errors.js';
import { dot } from './linalg.js';
import type { SearchContext, SearchFilters, SearchHit, SearchRequest } from './types.js';

/** Past this many filtered papers, exact search costs more than widening the ANN search. */
const EXACT_SEARCH_MAX = 20_000;

export interface NearestOptions {
  filters?: SearchFilters;
  limit: number;
  offset?: number;
  /** A paper to leave out (the one whose neighbours are asked for). */
  exclude?: string;
  /** False: unavailable until the vector index is ready, rather than waiting for its load or build (see VectorIndexes.ready). */
  waitForIndex?: boolean;
}

/**
 * Visible papers nearest to a unit vector that pass the filters. The ANN graph is asked for more
 * than needed and the filters applied in SQL; when too few pass (a narrow filter), it widens, and
 * for a filter that leaves few enough papers it ranks those exactly instead.
 */
export async function nearestPapers(
  ctx: SearchContext,
  query: Float32Array,
  options: NearestOptions,
): Promise<SearchHit[]> {
  const { db, vectorIndexes } = ctx;
  const index = options.waitForIndex === false ? await vectorIndexes.ready(db) : await vectorIndexes.active(db);
  if (!index || index.size() === 0) {
    throw new SearchModeUnavailable(
      'semantic search is not available yet: the vector index is being built, or no paper has a vector (`dailypapers embed`)',
    );
  }
  const need = (options.offset ?? 0) + options.limit + (options.exclude ? 1 : 0);
  const pick = (hits: SearchHit[]) =>
    hits.filter((h) => h.id !== options.exclude).slice(options.offset ?? 0, (options.offset ?? 0) + options.limit);
  if (query.every((x) => x === 0)) return [];
  // Filters can leave out most of the nearest; without them only hidden papers are left out, which are few,
  // so a few more than needed are read (at 200 needed, 230 keys to look up instead of 600).
  let k = hasFilters(options.filters) ? Math.max(need * 3, need + 30) : need + 30;
  for (;;) {
    const matches = await index.search(query, k);
    const ids = await papersOfKeys(
      db,
      index.model.id,
      matches.map((m) => m.key),
      options.filters,
    );
    const hits = matches.flatMap((m) => (ids.has(m.key) ? [{ id: ids.get(m.key)!, score: m.similarity }] : []));
    if (hits.length >= need || matches.length < k) return pick(hits);
    if (
      hasFilters(options.filters) &&
      (await countFilteredVectors(db, index.model.id, options.filters!, EXACT_SEARCH_MAX)) <= EXACT_SEARCH_MAX
    ) {
      const exact = await exactNearest(db, index.model.id, query, options.filters!, need);
      return pick(exact.map((e) => ({ id: e.id, score: e.similarity })));
    }
    k *= 4;
  }
}

/** The query's unit vector in the active model's space. */
export async function embedQuery(
  { db, embedders }: Pick<SearchContext, 'db' | 'embedders'>,
  text: string,
): Promise<{ modelId: string; vector: Float32Array }> {
  const embedder = await embedders.active(db);
  if (!embedder)
    throw new SearchModeUnavailable(
      'semantic search is not available yet: no embedding model (run `dailypapers embed`)',
    );
  const [vector] = await embedder.embed([text], 'query');
  return { modelId: embedder.modelId, vector: vector! };
}

/** Papers whose meaning is nearest the query's, best first. */
export async function searchSemantic(ctx: SearchContext, request: SearchRequest): Promise<SearchHit[]> {
  const query = await embedQuery(ctx, request.text);
  return nearestPapers(ctx, query.vector, {
    filters: request.filters,
    limit: request.limit,
    offset: request.offset,
    waitForIndex: request.waitForIndex,
  });
}

/** The cosine similarity of each of these papers (those with a vector) to a query vector. */
export async function similarities(
  db: Db,
  modelId: string,
  query: Float32Array,
  ids: string[],
): Promise<Map<string, number>> {
  const vectors = await vectorsOfPapers(db, modelId, ids);
  const scores = new Map<string, number>();
  for (const [id, { vector }] of vectors) scores.set(id, dot(vector, query));
  return scores;
}
