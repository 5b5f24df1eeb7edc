import { ThreadClient } from '../thread.js';
import { countPapersToEmbed, deleteHiddenVectors, papersToEmbed, writeVectors } from '../store/embeddings.js';
import { paperText, prepareEmbedder, type EmbeddingSettings } from './embedder.js';
import { refreshTermStatistics } from './more-like-this.js';
import type { SearchContext } from './types.js';

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
 * hidden papers. Counts the words similar papers weigh by, when due (refreshTermStatistics). Safe to run in several processes: a paper embedded twice is written twice, identically.
 */
export async function embedPendingPapers(
  ctx: Pick<SearchContext, 'db' | 'embedders'>,
  options: EmbedOptions = {},
): Promise<EmbedRun> {
  const { db } = ctx;
  const removed = await deleteHiddenVectors(db);
  await refreshTermStatistics(db, options.logger);
  const embedder = await prepareEmbedder(ctx, options);
  if (!embedder) return { modelId: null, embedded: 0, removed };
  const total = await countPapersToEmbed(db, embedder.modelId);
  let done = 0;
  let afterId = '';
  let loggedAt = performance.now();
  const logProgress = () => {
    loggedAt = performance.now();
    options.logger?.info({ model: embedder.modelId, done, total: Math.max(total, done) }, 'embedding papers');
  };
  if (total > 0) logProgress();
  options.onProgress?.({ done, total });
  for (;;) {
    // A paper edited behind the cursor during the run is picked up by the next run.
    const papers = await papersToEmbed(db, embedder.modelId, options.batchSize ?? 256, afterId);
    if (papers.length === 0) break;
    afterId = papers[papers.length - 1]!.id;
    const vectors = await embedder.embed(papers.map(paperText), 'papers');
    await writeVectors(
      db,
      embedder.modelId,
      papers.map((p, i) => ({ paperId: p.id, modifiedAt: p.modifiedAt, vector: vectors[i]! })),
    );
    done += papers.length;
    options.onProgress?.({ done, total: Math.max(total, done) });
    if (performance.now() - loggedAt >= PROGRESS_LOG_MS) logProgress();
  }
  if (done > 0) logProgress();
  return { modelId: embedder.modelId, embedded: done, removed };
}

export interface OffThreadSettings {
  /** The database the thread opens its own connection to: the one `db` is connected to. */
  databaseUrl: string;
  embeddingModel?: string;
  logLevel: string;
}

/** Progress goes to the log at most this often (and when a run ends). */
const PROGRESS_LOG_MS = 10_000;

/**
 * embedPendingPapers on a worker thread with its own database connection, so reading the corpus,
 * fitting the model and encoding every paper (minutes on a large corpus) never block the thread
 * that answers requests. `signal` stops the thread at once; the batches written so far stay. An
 * in-memory SQLite database cannot be shared with a thread: it is embedded here.
 */
export async function embedOffThread(
  ctx: Pick<SearchContext, 'db' | 'embedders'>,
  settings: OffThreadSettings,
  signal: AbortSignal,
): Promise<EmbedRun> {
  if (ctx.db.location === ':memory:') return embedPendingPapers(ctx, settings);
  const thread = new ThreadClient(new URL('./embed-thread.ts', import.meta.url), 'embedding');
  const stop = () => void thread.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await thread.call<EmbedRun>('embed', [
      settings.databaseUrl,
      settings.embeddingModel,
      settings.logLevel,
      ctx.embedders.server,
    ]);
  } finally {
    signal.removeEventListener('abort', stop);
    await thread.close();
  }
}
