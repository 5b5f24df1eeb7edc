import type { Db } from '../db/connection.js';
import { countPapersToEmbed, deleteHiddenVectors, papersToEmbed, writeVectors } from '../store/embeddings.js';
import { paperText, prepareEmbedder, type EmbeddingSettings } from './embedder.js';

export interface EmbedRun {
  /** The active model afterwards; null when there are no papers to fit one on. */
  modelId: string | null;
  embedded: number;
  /** Vectors of hidden papers removed. */
  removed: number;
}

export interface EmbedOptions extends EmbeddingSettings {
  batchSize?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
}

/**
 * Computes the vectors that are missing or stale (new papers, edited papers, every paper after a
 * model change), a batch at a time so each write is one short transaction, and drops those of
 * hidden papers. Safe to run in several processes: a paper embedded twice is written twice, identically.
 */
export async function embedPendingPapers(db: Db, options: EmbedOptions = {}): Promise<EmbedRun> {
  const removed = await deleteHiddenVectors(db);
  const embedder = await prepareEmbedder(db, options);
  if (!embedder) return { modelId: null, embedded: 0, removed };
  const total = await countPapersToEmbed(db, embedder.modelId);
  let done = 0;
  let afterId = '';
  options.onProgress?.({ done, total });
  for (;;) {
    // A paper edited behind the cursor during the run is picked up by the next run.
    const papers = await papersToEmbed(db, embedder.modelId, options.batchSize ?? 256, afterId);
    if (papers.length === 0) break;
    afterId = papers[papers.length - 1]!.id;
    const vectors = await embedder.embed(papers.map(paperText));
    await writeVectors(db, embedder.modelId, papers.map((p, i) => ({ paperId: p.id, modifiedAt: p.modifiedAt, vector: vectors[i]! })));
    done += papers.length;
    options.onProgress?.({ done, total: Math.max(total, done) });
  }
  return { modelId: embedder.modelId, embedded: done, removed };
}
