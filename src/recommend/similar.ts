import { paperText } from '../search/embedder.js';
import { SearchModeUnavailable } from '../search/errors.js';
import { scoreFusion } from '../search/fusion.js';
import { moreLikeThis } from '../search/more-like-this.js';
import { embedQuery, nearestPapers, similarities } from '../search/semantic.js';
import type { SearchContext, SearchHit } from '../search/types.js';
import { activeEmbeddingModel, vectorsOfPapers } from '../store/embeddings.js';
import type { Paper } from '../store/papers.js';

/** How similar papers are ranked; the defaults were tuned on csfcube-dev (`npm run eval`). */
export interface SimilarTuning {
  /** The paper's most distinctive words its "more like this" query asks for. */
  words: number;
  /** How much the vector similarity counts against the scaled BM25 score (see scoreFusion). */
  semanticWeight: number;
  /** Candidates read from each side before fusing. */
  depth: number;
}

/**
 * Chosen on csfcube-dev (`npm run eval -- similar` prints the grid): more words scored within noise
 * of 8 there, but each word lengthens the BM25 query, and at 97k papers 15 words cost 5× the time of 8.
 */
export const SIMILAR_TUNING: SimilarTuning = { words: 8, semanticWeight: 8, depth: 50 };

/**
 * The visible papers most like this one, best first: the paper's own "more like this" query (its
 * most distinctive words, ranked by BM25) fused with its nearest vectors, every candidate scored by
 * both. A paper not embedded yet (just ingested) is embedded on the fly; before any model exists,
 * or while the vector index is being built, there are none (pages never wait for it).
 */
export async function similarPapers(
  ctx: SearchContext,
  paper: Pick<Paper, 'id' | 'title' | 'abstract'>,
  limit: number,
  tuning: SimilarTuning = SIMILAR_TUNING,
): Promise<SearchHit[]> {
  const { db } = ctx;
  const model = await activeEmbeddingModel(db);
  if (!model) return [];
  const depth = Math.max(limit, tuning.depth);
  try {
    const stored = (await vectorsOfPapers(db, model.id, [paper.id])).get(paper.id);
    const vector = stored?.vector ?? (await embedQuery(ctx, paperText(paper))).vector;
    const [nearest, lexical] = await Promise.all([
      nearestPapers(ctx, vector, { limit: depth, exclude: paper.id, waitForIndex: false }),
      moreLikeThis(db, paper, { words: tuning.words, limit: depth }),
    ]);
    const found = new Set(nearest.map((n) => n.id));
    const semantic = new Map([
      ...nearest.map((n): [string, number] => [n.id, n.score]),
      ...(await similarities(
        db,
        model.id,
        vector,
        lexical.filter((h) => !found.has(h.id)).map((h) => h.id),
      )),
    ]);
    return scoreFusion(lexical, semantic, tuning.semanticWeight).slice(0, limit);
  } catch (error) {
    if (error instanceof SearchModeUnavailable) return [];
    throw error;
  }
}
