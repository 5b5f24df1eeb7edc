import { paperText } from '../search/embedder.js';
import { SearchModeUnavailable } from '../search/errors.js';
import { embedQuery, nearestPapers } from '../search/semantic.js';
import type { SearchContext, SearchHit } from '../search/types.js';
import { activeEmbeddingModel, vectorsOfPapers } from '../store/embeddings.js';
import type { Paper } from '../store/papers.js';

/**
 * The visible papers nearest in meaning to this one, nearest first. A paper not embedded yet (just
 * ingested) is embedded on the fly; before any model exists, or while the vector index is being
 * built, there are none (pages never wait for it).
 */
export async function similarPapers(
  ctx: SearchContext,
  paper: Pick<Paper, 'id' | 'title' | 'abstract'>,
  limit: number,
): Promise<SearchHit[]> {
  const { db } = ctx;
  const model = await activeEmbeddingModel(db);
  if (!model) return [];
  try {
    const stored = (await vectorsOfPapers(db, model.id, [paper.id])).get(paper.id);
    const vector = stored?.vector ?? (await embedQuery(ctx, paperText(paper))).vector;
    return await nearestPapers(ctx, vector, { limit, exclude: paper.id, waitForIndex: false });
  } catch (error) {
    if (error instanceof SearchModeUnavailable) return [];
    throw error;
  }
}
