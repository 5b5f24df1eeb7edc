import { setImmediate } from 'node:timers/promises';
import type { Db } from '../db/connection.js';
import {
  countPapersToEnrich,
  papersToEnrich,
  sampleTexts,
  writeEnrichments,
  type TextToEnrich,
} from '../store/enrichments.js';
import { ThreadClient } from '../thread.js';
import { countDocumentFrequencies, extractKeywords, inverseFrequency, type DocumentFrequencies } from './keywords.js';
import { extractiveSummary } from './summary.js';

/** Word rarity is learned from at most this many papers (the newest): enough for stable frequencies, a few seconds to count. */
export const CORPUS_SAMPLE = 20_000;
const BATCH_SIZE = 500;

export interface EnrichRun {
  enriched: number;
}

export interface EnrichOptions {
  onProgress?: (progress: { done: number; total: number }) => void;
}

/** The summary and keyphrases of one paper, against the corpus's word frequencies. */
export function enrichPaper(paper: Pick<TextToEnrich, 'title' | 'abstract'>, frequencies: DocumentFrequencies) {
  return {
    summary: extractiveSummary(paper.abstract, (term) => inverseFrequency(frequencies, term)),
    keywords: extractKeywords(paper.title, paper.abstract, frequencies),
  };
}

/**
 * Computes the summary and keyphrases of every paper that has none or was edited since, a batch at a
 * time (each write one short transaction), yielding to the event loop between batches. Safe to run in
 * several processes at once: a paper computed twice is written twice, identically.
 */
export async function enrichPendingPapers(db: Db, options: EnrichOptions = {}): Promise<EnrichRun> {
  const total = await countPapersToEnrich(db);
  if (total === 0) return { enriched: 0 };
  const frequencies = countDocumentFrequencies(await sampleTexts(db, CORPUS_SAMPLE));
  let done = 0;
  let afterId = '';
  options.onProgress?.({ done, total });
  for (;;) {
    // A paper edited behind the cursor during the run is picked up by the next run.
    const papers = await papersToEnrich(db, BATCH_SIZE, afterId);
    if (papers.length === 0) break;
    afterId = papers[papers.length - 1]!.id;
    await writeEnrichments(
      db,
      papers.map((paper) => ({ id: paper.id, from: paper.modifiedAt, ...enrichPaper(paper, frequencies) })),
    );
    done += papers.length;
    options.onProgress?.({ done, total: Math.max(total, done) });
    await setImmediate();
  }
  return { enriched: done };
}

/**
 * enrichPendingPapers on a worker thread with its own database connection, so a whole corpus (minutes)
 * never blocks the thread that answers requests. `signal` stops the thread at once; batches written
 * so far stay. An in-memory SQLite database cannot be shared with a thread: it is enriched here.
 */
export async function enrichOffThread(
  db: Db,
  settings: { databaseUrl: string },
  signal: AbortSignal,
): Promise<EnrichRun> {
  signal.throwIfAborted();
  if (db.location === ':memory:') return enrichPendingPapers(db);
  const thread = new ThreadClient(new URL('./thread.ts', import.meta.url), 'enrichment');
  const stop = () => void thread.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await thread.call<EnrichRun>('enrich', [settings.databaseUrl]);
  } finally {
    signal.removeEventListener('abort', stop);
    await thread.close();
  }
}
